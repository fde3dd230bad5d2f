// The load generator, run as its own process (pinned to its own core by bench/run.mjs) so that
// it never shares a core with the server it measures. Usage: node generator.mjs <spec.json>
// Prints one JSON line: requests/s, latency percentiles, status counts, errors.
//
// spec: { url, connections, durationS, method?, headers?, body?,
//         requests?: [{ method, path, token?, body? }]
//                                       send these in rotation, one per request (a token is sent
//                                       as the bearer, a body as JSON)
//         jobCycle?: { lanes: [{ entId, jobs: [{ wo_id, oper_id, seq_no }] }], token }
//                                       each connection takes one lane (entity) and cycles
//                                       PUT Jobs/Start then PUT Jobs/End over its own jobs
//         tool?: 'wrk' | 'autocannon'  wrk (C, one thread; much lighter than autocannon, so the
//                                       generator is never the bottleneck) when bench/run.mjs
//                                       found it; job cycles always run on autocannon }
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const print = (result) => process.stdout.write(JSON.stringify(result) + '\n');

function options() {
  const base = {
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationS,
    pipelining: 1,
    timeout: 10,
  };
  if (spec.requests) {
    const requests = spec.requests.map((r) => ({
      method: r.method,
      path: r.path,
      body: r.body,
      headers: {
        ...spec.headers,
        ...(r.token ? { authorization: `Bearer ${r.token}` } : {}),
        ...(r.body ? { 'content-type': 'application/json' } : {}),
      },
    }));
    let next = 0;
    return {
      ...base,
      requests: [
        {
          setupRequest: (req) => {
            const r = requests[next];
            next = next + 1 === requests.length ? 0 : next + 1;
            return { ...req, ...r };
          },
        },
      ],
    };
  }
  if (spec.jobCycle) {
    const { lanes, token, startPath, endPath } = spec.jobCycle;
    // A lane is one entity with its own Ready jobs. A connection takes a free lane for one
    // Start + End pair (autocannon keeps `context` across the two requests of a sequence) and
    // gives it back when the End is answered, so no two connections ever share an entity.
    const free = lanes.map((lane) => ({ ...lane, next: 0 }));
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    return {
      ...base,
      requests: [
        {
          method: 'PUT',
          setupRequest: (req, context) => {
            const lane = free.pop();
            if (!lane) throw new Error('more connections than job lanes');
            const job = lane.jobs[lane.next];
            if (!job) throw new Error(`lane ${lane.entId} ran out of jobs`);
            context.lane = lane;
            context.job = job;
            lane.next += 1;
            const body = JSON.stringify({ ent_id: lane.entId, run_ent_id: lane.entId, ...job });
            return { ...req, path: startPath, headers, body };
          },
        },
        {
          method: 'PUT',
          setupRequest: (req, context) => {
            const body = JSON.stringify({ ent_id: context.lane.entId, ...context.job });
            return { ...req, path: endPath, headers, body };
          },
          onResponse: (status, body, context) => {
            free.push(context.lane);
          },
        },
      ],
    };
  }
  return {
    ...base,
    method: spec.method ?? 'GET',
    headers: spec.headers ?? {},
    body: spec.body,
  };
}

/** wrk, one thread, with bench/lib/wrk-report.lua printing the figures as JSON. */
function runWrk() {
  const args = ['-t1', `-c${spec.connections}`, `-d${spec.durationS}s`, '--timeout', '10s'];
  args.push('-s', join(dirname(fileURLToPath(import.meta.url)), 'wrk-report.lua'));
  for (const [name, value] of Object.entries(spec.headers ?? {}))
    args.push('-H', `${name}: ${value}`);
  const env = { ...process.env, WRK_REQUESTS: '' };
  let requestsFile;
  if (spec.requests) {
    requestsFile = `${process.argv[2]}.requests`;
    const field = (value) => {
      const text = value ?? '';
      if (/[\t\n]/.test(text)) throw new Error('a request field holds a tab or a newline');
      return text;
    };
    const lines = spec.requests.map((r) =>
      [r.method, r.path, r.token, r.body].map(field).join('\t'),
    );
    writeFileSync(requestsFile, lines.join('\n') + '\n');
    env.WRK_REQUESTS = requestsFile;
  }
  const child = spawn('wrk', [...args, spec.url], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  process.once('SIGTERM', () => child.kill('SIGINT'));
  child.once('exit', (code) => {
    if (requestsFile) rmSync(requestsFile, { force: true });
    const line = out.split('\n').find((l) => l.startsWith('{"requests"'));
    if (code !== 0 || !line) {
      print({ error: `wrk exited ${code}: ${out.trim()}` });
      process.exit(1);
    }
    const r = JSON.parse(line);
    const durationS = r.durationUs / 1e6;
    const socketErrors = r.errors.connect + r.errors.read + r.errors.write;
    print({
      tool: 'wrk',
      requestsPerSecond: r.requests / durationS,
      totalRequests: r.requests,
      durationS,
      latencyMs: {
        p50: r.latencyUs.p50 / 1000,
        p99: r.latencyUs.p99 / 1000,
        mean: r.latencyUs.mean / 1000,
        max: r.latencyUs.max / 1000,
      },
      statusCounts: {},
      // wrk counts answers with a status of 400 or more; none of the scenarios expects 3xx.
      non2xx: r.errors.status,
      errors: socketErrors,
      timeouts: r.errors.timeout,
    });
  });
}

if (spec.tool === 'wrk' && !spec.jobCycle) runWrk();
else runAutocannon();

function runAutocannon() {
  const instance = autocannon(options(), (err, result) => {
    if (err) {
      print({ error: String(err) });
      process.exit(1);
    }
    const statusCounts = {};
    for (const [k, v] of Object.entries(result.statusCodeStats ?? {})) statusCounts[k] = v.count;
    print({
      tool: 'autocannon',
      requestsPerSecond: result.requests.total / result.duration,
      totalRequests: result.requests.total,
      durationS: result.duration,
      latencyMs: {
        p50: result.latency.p50,
        p99: result.latency.p99,
        mean: result.latency.mean,
        max: result.latency.max,
      },
      statusCounts,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
    });
  });
  process.once('SIGTERM', () => instance.stop());
}
