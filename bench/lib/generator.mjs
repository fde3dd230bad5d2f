// The load generator, run as its own process (pinned to its own core by bench/run.mjs) so that
// it never shares a core with the server it measures. Usage: node generator.mjs <spec.json>
// Prints one JSON line: requests/s, latency percentiles, status counts, errors.
//
// spec: { url, connections, durationS, method?, headers?, body?,
//         tokens?: string[]            rotate the bearer token over these, one per request
//         jobCycle?: { lanes: [{ entId, jobs: [{ wo_id, oper_id, seq_no }] }], token }
//                                       each connection takes one lane (entity) and cycles
//                                       PUT Jobs/Start then PUT Jobs/End over its own jobs }
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));

function options() {
  const base = {
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationS,
    pipelining: 1,
    timeout: 10,
  };
  if (spec.tokens) {
    const tokens = spec.tokens.map((t) => `Bearer ${t}`);
    let next = 0;
    return {
      ...base,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => {
            const authorization = tokens[next];
            next = next + 1 === tokens.length ? 0 : next + 1;
            return { ...req, headers: { ...spec.headers, authorization } };
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

const instance = autocannon(options(), (err, result) => {
  if (err) {
    process.stdout.write(JSON.stringify({ error: String(err) }) + '\n');
    process.exit(1);
  }
  const statusCounts = {};
  for (const [k, v] of Object.entries(result.statusCodeStats ?? {})) statusCounts[k] = v.count;
  process.stdout.write(
    JSON.stringify({
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
    }) + '\n',
  );
});
process.once('SIGTERM', () => instance.stop());
