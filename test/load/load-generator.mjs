// The load suite's generator, run as its own process: `concurrency` loops over keep-alive
// connections (one node:http socket each), every loop awaiting its answer before sending the
// next request, so that when the time is up nothing is left in flight and every write the API
// made is matched by exactly one counted answer. Usage: node load-generator.mjs <spec.json>
//
// spec: { origin, durationS, mix: [{ kind, connections, ... }] } with kinds
//   read       GET `path`, bearer token rotating over `tokens`
//   production POST /mesmw/api/v3/production/byJob (qty_prod 1) on `jobs` (Running), round robin
//   jobCycle   PUT Jobs/Start then Jobs/End over `lanes` [{ entId, jobs: [oper_id…] }], one lane
//              per connection
//   transaction  an MES transaction per round: POST transaction, two production posts with its
//              trans_id on the connection's own Running job (`jobs[i]`), then commit or (every
//              other round) roll back; `ok` counts the committed posts, `started` the commits,
//              `ended` the rollbacks. A round begun is always finished.
// Prints one JSON line: per kind the answers by status, socket errors, requests.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const origin = new URL(spec.origin);
const deadline = Date.now() + spec.durationS * 1000;
const REQUEST_TIMEOUT_MS = 30_000;

function send(agent, method, path, token, body) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        agent,
        host: origin.hostname,
        port: origin.port,
        method,
        path,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, text }));
        res.on('error', (err) => resolve({ error: `response: ${err.code ?? err.message}` }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ error: err.code ?? err.message }));
    req.end(payload);
  });
}

function counter() {
  return {
    requests: 0,
    byStatus: {},
    socketErrors: 0,
    errorKinds: {},
    samples5xx: [],
    unexpected: [],
  };
}
function record(c, res, expectOk = true) {
  c.requests += 1;
  if (res.error) {
    c.socketErrors += 1;
    c.errorKinds[res.error] = (c.errorKinds[res.error] ?? 0) + 1;
    return false;
  }
  c.byStatus[res.status] = (c.byStatus[res.status] ?? 0) + 1;
  if (res.status >= 500 && c.samples5xx.length < 5) c.samples5xx.push(res.text.slice(0, 300));
  if (expectOk && (res.status < 200 || res.status >= 300) && c.unexpected.length < 5) {
    c.unexpected.push(`${res.status} ${res.text.slice(0, 300)}`);
  }
  return res.status >= 200 && res.status < 300;
}

const results = {};
const loops = [];
for (const part of spec.mix) {
  const c = counter();
  results[part.name ?? part.kind] = c;
  for (let i = 0; i < part.connections; i++) {
    // One agent per loop: exactly one keep-alive socket, reused for all its requests.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    if (part.kind === 'read') {
      let t = i;
      loops.push(
        (async () => {
          while (Date.now() < deadline) {
            const token = part.tokens[t++ % part.tokens.length];
            record(c, await send(agent, 'GET', part.path, token));
          }
          agent.destroy();
        })(),
      );
    } else if (part.kind === 'production') {
      let j = i;
      c.ok = 0;
      loops.push(
        (async () => {
          while (Date.now() < deadline) {
            const job = part.jobs[j++ % part.jobs.length];
            const body = { wo_id: part.woId, oper_id: job, seq_no: 0, qty_prod: 1 };
            if (
              record(
                c,
                await send(agent, 'POST', '/mesmw/api/v3/production/byJob', part.token, body),
              )
            )
              c.ok += 1;
          }
          agent.destroy();
        })(),
      );
    } else if (part.kind === 'transaction') {
      const operId = part.jobs[i];
      const token = part.tokens[i % part.tokens.length];
      c.ok = c.ok ?? 0;
      c.started = c.started ?? 0;
      c.ended = c.ended ?? 0;
      loops.push(
        (async () => {
          for (let round = 0; Date.now() < deadline; round++) {
            const opened = await send(agent, 'POST', '/mesmw/api/v3/transaction', token);
            if (!record(c, opened)) continue;
            const transId = JSON.parse(opened.text).trans_id;
            const body = { wo_id: part.woId, oper_id: operId, seq_no: 0, qty_prod: 1 };
            let posted = 0;
            for (let k = 0; k < 2; k++) {
              const path = `/mesmw/api/v3/production/byJob?trans_id=${transId}`;
              if (record(c, await send(agent, 'POST', path, token, body))) posted += 1;
            }
            const commit = posted === 2 && round % 2 === 0;
            const action = commit ? 'commit' : 'rollback';
            const end = `/mesmw/api/v3/transaction?action=${action}&trans_id=${transId}`;
            if (!record(c, await send(agent, 'PUT', end, token))) continue;
            if (commit) {
              c.started += 1;
              c.ok += posted;
            } else c.ended += 1;
          }
          agent.destroy();
        })(),
      );
    } else if (part.kind === 'jobCycle') {
      const lane = part.lanes[i];
      c.started = c.started ?? 0;
      c.ended = c.ended ?? 0;
      loops.push(
        (async () => {
          let next = 0;
          while (Date.now() < deadline && next < lane.jobs.length) {
            const key = { wo_id: part.woId, oper_id: lane.jobs[next++], seq_no: 0 };
            const start = { ...key, ent_id: lane.entId, run_ent_id: lane.entId };
            if (!record(c, await send(agent, 'PUT', '/mesmw/api/v3/Jobs/Start', part.token, start)))
              continue;
            c.started += 1;
            // End even after the deadline: a cycle is never left half done by the generator.
            if (
              record(
                c,
                await send(agent, 'PUT', '/mesmw/api/v3/Jobs/End', part.token, {
                  ...key,
                  ent_id: lane.entId,
                }),
              )
            ) {
              c.ended += 1;
            }
          }
          agent.destroy();
        })(),
      );
    }
  }
}
await Promise.all(loops);
process.stdout.write(JSON.stringify(results) + '\n');
