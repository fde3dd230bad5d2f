// `npm run bench`: measures the built MES Web API against a bare node:http server, in one run, on
// this machine. The servers are pinned to CPU 0 and the load generator (wrk when it is installed,
// else autocannon; its own process) to CPU 1 when taskset exists. Prints a table and writes bench/results/bench-<time>.json.
//
// Environment: BENCH_DURATION_S (10), BENCH_RUNS (3), BENCH_WARMUP_S (3), BENCH_CONNECTIONS (50),
// BENCH_ONLY (comma-separated scenario ids), BENCH_GENERATOR (wrk | autocannon; default wrk when
// installed, the job cycle always uses autocannon), BENCH_CPU_PROF=1 (API writes a .cpuprofile to
// bench/results/profiles on exit).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchAuthority } from './lib/authority.mjs';
import { median } from './lib/stats.mjs';
import {
  assertBuilt,
  BENCH_WO,
  benchUserId,
  HAS_TASKSET,
  LANE_ENT_BASE,
  laneJobOperId,
  nodeCommand,
  prepareDatabase,
  ROOT,
  startApiProcess,
  intSetting,
} from './lib/api-process.mjs';

const DURATION_S = intSetting('BENCH_DURATION_S', 10, 1, 600);
const RUNS = intSetting('BENCH_RUNS', 3, 1, 20);
const WARMUP_S = intSetting('BENCH_WARMUP_S', 3, 0, 120);
const CONNECTIONS = intSetting('BENCH_CONNECTIONS', 50, 1, 1000);
const ROTATION = 1000;
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
const HAS_WRK = spawnSync('wrk', ['-v']).error === undefined;
const GENERATOR = (() => {
  const asked = process.env.BENCH_GENERATOR ?? '';
  if (asked === '') return HAS_WRK ? 'wrk' : 'autocannon';
  if (asked === 'autocannon') return asked;
  if (asked === 'wrk' && HAS_WRK) return asked;
  console.error(
    asked === 'wrk'
      ? 'BENCH_GENERATOR=wrk but wrk is not installed (Debian: apt-get install wrk)'
      : 'BENCH_GENERATOR must be wrk or autocannon',
  );
  process.exit(2);
})();
const SERVER_CPU = 0;
const GENERATOR_CPU = 1;
const ENTITY_ID = 5;
/** Enough Ready jobs per connection for warm-up + all runs at several thousand cycles/s. */
const JOBS_PER_LANE = intSetting('BENCH_JOBS_PER_LANE', 3000, 10, 100_000);

const RESULTS = join(ROOT, 'bench', 'results');
const work = mkdtempSync(join(tmpdir(), 'mes-bench-'));
const cleanups = [];

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
/** CPU seconds (user + system) a process has used so far, from /proc; undefined elsewhere. */
function cpuSeconds(pid) {
  const file = `/proc/${pid}/stat`;
  if (!pid || !existsSync(file)) return undefined;
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function log(line) {
  process.stderr.write(`${line}\n`);
}

/** Runs the generator process on its own core; resolves with its JSON summary. */
function generate(spec, serverPid) {
  const file = join(work, `spec-${process.hrtime.bigint()}.json`);
  writeFileSync(file, JSON.stringify(spec));
  const [cmd, args] = nodeCommand(
    [join(ROOT, 'bench', 'lib', 'generator.mjs'), file],
    GENERATOR_CPU,
  );
  const cpuBefore = cpuSeconds(serverPid);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.once('exit', (code) => {
      rmSync(file, { force: true });
      const line = out.trim().split('\n').pop() ?? '';
      try {
        const result = JSON.parse(line);
        if (result.error) return reject(new Error(`generator: ${result.error}`));
        const cpuAfter = cpuSeconds(serverPid);
        // Server CPU per answered request: robust to other load on the machine, unlike req/s.
        result.serverCpuUsPerRequest =
          cpuBefore === undefined || cpuAfter === undefined || result.totalRequests === 0
            ? undefined
            : ((cpuAfter - cpuBefore) * 1e6) / result.totalRequests;
        resolve(result);
      } catch {
        reject(new Error(`generator exited ${code}: ${out}${err}`));
      }
    });
  });
}

/** A reference server (bench/lib/<script>), pinned like the API; resolves once it listens. */
async function startReference(script, extraArgs = []) {
  const [cmd, args] = nodeCommand([join(ROOT, 'bench', 'lib', script), ...extraArgs], SERVER_CPU);
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const origin = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /server ready: (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}`)));
  });
  return {
    origin,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function probe(url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, text };
}

function fmt(n, digits = 0) {
  return n.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

async function main() {
  assertBuilt();
  mkdirSync(RESULTS, { recursive: true });
  log(
    `bench: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), node ${process.version}, taskset ${HAS_TASKSET ? 'yes' : 'NO (results are noisier)'}`,
  );
  log(
    `bench: ${RUNS} runs x ${DURATION_S} s per scenario, ${WARMUP_S} s warm-up, ${CONNECTIONS} connections`,
  );

  const authority = await startBenchAuthority();
  cleanups.push(() => authority.close());

  const lanes = CONNECTIONS + 1; // one lane per connection + one for the probe
  const dbPath = join(work, 'mes.sqlite');
  log(
    `bench: preparing ${dbPath} (${ROTATION} users, ${lanes} job lanes x ${JOBS_PER_LANE} Ready jobs)`,
  );
  prepareDatabase(dbPath, { users: ROTATION, lanes, jobsPerLane: JOBS_PER_LANE });

  const profileDir = join(RESULTS, 'profiles');
  const api = await startApiProcess({
    dbPath,
    issuer: authority.issuer,
    cpu: SERVER_CPU,
    nodeArgs: CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  cleanups.push(() => api.stop());
  const bare = await startReference('bare-server.mjs');
  cleanups.push(() => bare.stop());
  // fastify alone with the API's own health body: the ceiling for a fastify-based health check.
  const healthBody = await (await fetch(`${api.base}/health`)).text();
  const fastifyRef = await startReference('fastify-server.mjs', [healthBody]);
  cleanups.push(() => fastifyRef.stop());
  log(`bench: API ${api.base}, bare ${bare.origin}, authority ${authority.issuer}`);

  const operator = await authority.userToken('mes\\operator');
  const supervisor = await authority.userToken('mes\\supervisor');
  const service = await authority.serviceToken('mes-scheduler');
  const rotation = [];
  for (let i = 1; i <= ROTATION; i++) rotation.push(await authority.userToken(benchUserId(i)));

  // The entity read: entity/key when the route exists, else the system attribute read (fallback).
  let readPath = `/mesmw/api/v3/entity/key?entId=${ENTITY_ID}`;
  const auth = (t) => ({ authorization: `Bearer ${t}` });
  let first = await probe(`${api.origin}${readPath}`, { headers: auth(operator) });
  if (first.status === 404 && first.text.includes('ROUTE_NOT_FOUND')) {
    log(
      `bench: ${readPath} answered 404 (not built yet?): falling back to /mesmw/api/v3/systemAttribute/199`,
    );
    readPath = '/mesmw/api/v3/systemAttribute/199';
    first = await probe(`${api.origin}${readPath}`, { headers: auth(operator) });
  }
  if (first.status !== 200)
    throw new Error(`GET ${readPath} answered ${first.status}: ${first.text}`);
  const readName = readPath.includes('entity') ? 'GET entity/key' : 'GET systemAttribute/199';

  const jobPaths = { startPath: '/mesmw/api/v3/Jobs/Start', endPath: '/mesmw/api/v3/Jobs/End' };
  const probeLane = CONNECTIONS;
  const probeJob = { wo_id: BENCH_WO, oper_id: laneJobOperId(probeLane, 0), seq_no: 0 };
  const probeEnt = LANE_ENT_BASE + probeLane;
  const jobBody = JSON.stringify({ ent_id: probeEnt, run_ent_id: probeEnt, ...probeJob });
  const endBody = JSON.stringify({ ent_id: probeEnt, ...probeJob });
  const jobHeaders = { ...auth(supervisor), 'content-type': 'application/json' };
  const started = await probe(`${api.origin}${jobPaths.startPath}`, {
    method: 'PUT',
    headers: jobHeaders,
    body: jobBody,
  });
  const ended =
    started.status < 300
      ? await probe(`${api.origin}${jobPaths.endPath}`, {
          method: 'PUT',
          headers: jobHeaders,
          body: endBody,
        })
      : undefined;
  const jobsAvailable = started.status < 300 && ended !== undefined && ended.status < 300;
  if (!jobsAvailable) {
    log(
      `bench: job start/end not available (Start ${started.status} ${started.text.slice(0, 200)}${ended ? `, End ${ended.status} ${ended.text.slice(0, 200)}` : ''}): the job cycle is skipped`,
    );
  }

  const url = (path) => `${api.origin}${path}`;
  const scenarios = [
    {
      id: 'bare',
      name: 'bare node:http (reference)',
      pid: bare.pid,
      spec: { url: `${bare.origin}/` },
    },
    {
      id: 'fastify',
      name: 'fastify alone, same health body (reference)',
      pid: fastifyRef.pid,
      spec: { url: `${fastifyRef.origin}/mesmw/health` },
    },
    { id: 'health', name: 'GET /mesmw/health', target: 0.8, spec: { url: url('/mesmw/health') } },
    {
      id: 'user',
      name: `${readName}, warm user token`,
      target: 0.45,
      spec: { url: url(readPath), headers: auth(operator) },
    },
    {
      id: 'service',
      name: `${readName}, service token`,
      target: 0.45,
      spec: { url: url(readPath), headers: auth(service) },
    },
    {
      id: 'rotation',
      name: `${readName}, ${ROTATION} user tokens in rotation`,
      target: 0.2,
      spec: { url: url(readPath), tokens: rotation },
    },
  ];
  if (jobsAvailable) {
    const laneSpecs = [];
    for (let l = 0; l < CONNECTIONS; l++) {
      const jobs = [];
      for (let j = 0; j < JOBS_PER_LANE; j++)
        jobs.push({ wo_id: BENCH_WO, oper_id: laneJobOperId(l, j), seq_no: 0 });
      laneSpecs.push({ entId: LANE_ENT_BASE + l, jobs });
    }
    // Each connection owns one entity and walks its own Ready jobs; a shared cursor per lane
    // survives across runs so that no job is started twice.
    scenarios.push({
      id: 'jobs',
      name: 'PUT Jobs/Start + Jobs/End (requests/s; 2 per cycle)',
      spec: { url: url('/mesmw/'), jobCycle: { ...jobPaths, token: supervisor, lanes: laneSpecs } },
      consumesJobs: true,
    });
  }
  const selected = scenarios.filter(
    (s) => ONLY.length === 0 || s.id === 'bare' || ONLY.includes(s.id),
  );

  // Job lanes are consumed: each measured window gets a fresh slice of every lane.
  const laneCursor = new Array(CONNECTIONS).fill(0);
  const specFor = (scenario, durationS) => {
    const spec = { ...scenario.spec, connections: CONNECTIONS, durationS, tool: GENERATOR };
    if (scenario.consumesJobs) {
      spec.jobCycle = {
        ...spec.jobCycle,
        lanes: spec.jobCycle.lanes.map((lane, l) => ({
          ...lane,
          jobs: lane.jobs.slice(laneCursor[l]),
        })),
      };
    }
    return spec;
  };
  const consumed = async (scenario) => {
    if (!scenario.consumesJobs) return;
    // Advance each lane past every job that is no longer Ready (autocannon cannot report which
    // jobs a window reached, so read the database file, read-only, next to the running API).
    await new Promise((r) => setTimeout(r, 500)); // requests still queued in the API finish first
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    let running = [];
    try {
      running = db
        .prepare(`SELECT oper_id, target_ent_id AS ent FROM job WHERE wo_id = ? AND state_cd = 3`)
        .all(BENCH_WO);
      const rows = db
        .prepare(
          `SELECT target_ent_id AS ent, COUNT(*) AS n FROM job WHERE wo_id = ? AND state_cd <> 2 GROUP BY target_ent_id`,
        )
        .all(BENCH_WO);
      for (const row of rows) {
        const l = row.ent - LANE_ENT_BASE;
        if (l >= 0 && l < CONNECTIONS) laneCursor[l] = row.n;
      }
    } finally {
      db.close();
    }
    // A window can stop between a Start and its End: end those jobs so every lane is idle again.
    for (const job of running) {
      const body = JSON.stringify({
        ent_id: job.ent,
        wo_id: BENCH_WO,
        oper_id: job.oper_id,
        seq_no: 0,
      });
      const res = await probe(`${api.origin}${jobPaths.endPath}`, {
        method: 'PUT',
        headers: jobHeaders,
        body,
      });
      if (res.status >= 300 && !(res.status === 409 && res.text.includes('Completed')))
        throw new Error(`could not end job ${job.oper_id}: ${res.status} ${res.text}`);
    }
  };

  if (WARMUP_S > 0) {
    for (const s of selected) {
      log(`bench: warm-up ${s.id} (${WARMUP_S} s)`);
      await generate(specFor(s, WARMUP_S), s.pid ?? api.pid);
      await consumed(s);
    }
  }
  const samples = new Map(selected.map((s) => [s.id, []]));
  for (let run = 1; run <= RUNS; run++) {
    for (const s of selected) {
      const r = await generate(specFor(s, DURATION_S), s.pid ?? api.pid);
      await consumed(s);
      samples.get(s.id).push(r);
      log(
        `bench: run ${run}/${RUNS} ${s.id.padEnd(8)} ${fmt(r.requestsPerSecond).padStart(8)} req/s  p50 ${r.latencyMs.p50} ms  p99 ${r.latencyMs.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors}  server ${r.serverCpuUsPerRequest?.toFixed(1) ?? '?'} µs CPU/req`,
      );
    }
  }

  const rows = selected.map((s) => {
    const rs = samples.get(s.id);
    const rps = rs.map((r) => r.requestsPerSecond);
    const med = median(rps);
    // Each run is compared with the bare run of the same round (the machine may be busier in
    // one round than another); the ratio reported is the median of those per-round ratios.
    const bareRuns = samples.get('bare');
    const ratio = median(rs.map((r, i) => r.requestsPerSecond / bareRuns[i].requestsPerSecond));
    const cpu = rs.map((r) => r.serverCpuUsPerRequest).filter((x) => x !== undefined);
    const failures = rs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
    return {
      id: s.id,
      scenario: s.name,
      requestsPerSecond: { median: med, min: Math.min(...rps), max: Math.max(...rps), runs: rps },
      spreadPct: med > 0 ? ((Math.max(...rps) - Math.min(...rps)) / med) * 100 : 0,
      latencyMs: {
        p50: median(rs.map((r) => r.latencyMs.p50)),
        p99: median(rs.map((r) => r.latencyMs.p99)),
      },
      ratioToBare: ratio,
      serverCpuUsPerRequest: cpu.length ? median(cpu) : undefined,
      target: s.target,
      pass: s.target === undefined ? undefined : ratio >= s.target && failures === 0,
      failedResponses: failures,
      statusCounts: rs.map((r) => r.statusCounts),
    };
  });

  const header = [
    'scenario',
    'req/s (median)',
    'spread',
    'p50 ms',
    'p99 ms',
    'server CPU µs/req',
    'ratio to bare',
    'target',
    'result',
    'non-2xx/errors',
  ];
  const table = rows.map((r) => [
    r.scenario,
    fmt(r.requestsPerSecond.median),
    `±${fmt(r.spreadPct / 2, 1)}%`,
    fmt(r.latencyMs.p50, 1),
    fmt(r.latencyMs.p99, 1),
    r.serverCpuUsPerRequest === undefined ? '?' : fmt(r.serverCpuUsPerRequest, 1),
    r.id === 'bare' ? '1.00' : r.ratioToBare.toFixed(2),
    r.target === undefined ? '' : `≥ ${r.target.toFixed(2)}`,
    r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL',
    String(r.failedResponses),
  ]);
  const md = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 || i === 8 ? '---' : '---:')).join('|')}|`,
    ...table.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}, ${HAS_TASKSET ? 'server on CPU 0, generator on CPU 1 (taskset)' : 'no taskset'}`;
  console.log(
    `\nMES Web API benchmark: ${RUNS} runs x ${DURATION_S} s, ${CONNECTIONS} connections, ${GENERATOR === 'wrk' ? 'wrk (job cycle: autocannon)' : 'autocannon'}; ${machine}\n`,
  );
  console.log(md);
  const failed = rows.filter((r) => r.pass === false);
  console.log(
    `\n${failed.length === 0 ? 'All targets met.' : `Targets missed: ${failed.map((r) => r.id).join(', ')}`}`,
  );

  const file = join(RESULTS, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: {
          cpus: cpus().length,
          model: cpus()[0]?.model,
          node: process.version,
          taskset: HAS_TASKSET,
        },
        settings: {
          durationS: DURATION_S,
          runs: RUNS,
          warmupS: WARMUP_S,
          generator: GENERATOR,
          connections: CONNECTIONS,
          rotationTokens: ROTATION,
          readPath,
        },
        rows,
        markdown: md,
      },
      null,
      2,
    ),
  );
  console.log(`Results: ${file}`);
  return failed.length === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  for (const c of cleanups.reverse()) await c();
  rmSync(work, { recursive: true, force: true });
}
process.exit(code);
