// `npm run bench [-- sweep]`: measures the built MES Web API against a bare node:http server, in one
// run, on this machine. The servers are pinned to CPU 0 and the load generator (wrk when it is
// installed, else autocannon; its own process) to CPU 1 when taskset exists. Prints a table and
// writes bench/results/bench-<time>.json.
//
// Both modes start with the references: bare, fastify alone, Nest alone, and the calibrations
// (bare + N µs of CPU per request).
// core (default): health, entity/key with a user token (also with MES_SECURITY_MODE=os-group, on a
//   second API instance), a service token and 1000 user tokens in
//   rotation, POST production/byJob, a job Start + End cycle.
// sweep: every GET route of the Swagger file (`node dist/.../swagger.js`) with seeded ids from the
//   demo database, a tz_id variant of each route whose answer has dates, a service token on a
//   few, then the core scenarios.
//
// Every scenario is compared with the bare server measured just before and just after it (the
// bare server is measured again after every BENCH_BARE_EVERY scenarios), so a slower stretch of a
// noisy machine weighs on both sides of a ratio.
//
// Environment: BENCH_DURATION_S (10; sweep 3), BENCH_RUNS (3), BENCH_WARMUP_S (3; sweep 1),
// BENCH_CONNECTIONS (50), BENCH_ONLY (comma-separated scenario ids or id prefixes),
// BENCH_BARE_EVERY (6), BENCH_CALIBRATION_US (5,10,20,40: the bare + N µs references, empty for
// none), BENCH_GENERATOR (wrk | autocannon; default wrk when installed, the job
// cycle always uses autocannon), BENCH_CPU_PROF=1 (the APIs write .cpuprofile files to
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
  PRODUCER_ENT_BASE,
  producerOperId,
  ROOT,
  startApiProcess,
  intSetting,
} from './lib/api-process.mjs';

const MODE = process.argv[2] ?? 'core';
if (MODE !== 'core' && MODE !== 'sweep') {
  console.error('usage: node bench/run.mjs [core|sweep]');
  process.exit(2);
}
const SWEEP = MODE === 'sweep';
const DURATION_S = intSetting('BENCH_DURATION_S', SWEEP ? 3 : 10, 1, 600);
const RUNS = intSetting('BENCH_RUNS', 3, 1, 20);
const WARMUP_S = intSetting('BENCH_WARMUP_S', SWEEP ? 1 : 3, 0, 120);
const CONNECTIONS = intSetting('BENCH_CONNECTIONS', 50, 1, 1000);
const BARE_EVERY = intSetting('BENCH_BARE_EVERY', 6, 1, 1000);
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
/** The demo "AD Operators" group's SID (OS Group security; it may use ENTITY_ID). */
const OS_GROUP_OPERATORS_SID = 'S-1-5-21-3623811015-3361044348-30300820-1101';
/** Enough Ready jobs per connection for warm-up + all runs at several thousand cycles/s. */
const JOBS_PER_LANE = intSetting('BENCH_JOBS_PER_LANE', 3000, 10, 100_000);

/**
 * The calibration references: bare, spending this many µs of CPU per request before answering
 * (BENCH_CALIBRATION_US, comma-separated; empty for none). Their ratios show what a server with
 * that much work of its own can reach here at best.
 */
const CALIBRATION_US = (() => {
  const text = process.env.BENCH_CALIBRATION_US ?? '5,10,20,40';
  const values = text === '' ? [] : text.split(',').map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < 1 || v > 10_000)) {
    console.error(
      'BENCH_CALIBRATION_US: comma-separated whole microseconds (1 to 10000), or empty',
    );
    process.exit(2);
  }
  return [...new Set(values)];
})();

/** Targets (ratio to bare node:http in the same run). */
const TARGET = { get: 0.45, getMedian: 0.55, rotation: 0.4, production: 0.2, jobs: 0.1 };

/**
 * Values for the parameters of the GET routes, by parameter name: ids of the demo database
 * (libs/mes-database/src/migrations/*-demo-seed.ts). A required parameter missing here stops the
 * sweep, so a new route cannot be left out silently. `optional` ones are sent when a route has
 * the parameter.
 */
const SEEDS = {
  entId: String(ENTITY_ID),
  entName: 'Filler 1',
  itemId: 'WIDGET-100',
  woId: 'WO-1001',
  operId: 'OP20',
  seqNo: '0',
  attrId: '199',
  userId: 'mes\\operator',
  obj: 'Ent',
  cmd: 'GetAll',
  spName: 'sp_SA_job_queue',
};
const OPTIONAL_SEEDS = { spParams: JSON.stringify({ ent_id: ENTITY_ID }) };
/** Routes also measured with the service token (client credentials, background user). */
const SERVICE_ROUTES = new Set([
  '/mesmw/api/v3/entity/key',
  '/mesmw/api/v3/wo/key',
  '/mesmw/api/v3/jobs/key',
  '/mesmw/api/v3/MiddlewareAccess/Ent.GetByKey',
]);
const TIME_ZONE = 'Europe/Berlin';

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

/**
 * After a write scenario: waits (at most 15 s) until the server that took the writes is idle again
 * (under 2 % of a core over half a second). Its leftover work (garbage collection of the load's
 * garbage, SQLite's WAL checkpoint, the log flush) would otherwise run on the core the next
 * scenario is measured on: the first group of every run, the references among them, read low.
 */
async function settle(pid) {
  let before = cpuSeconds(pid);
  if (before === undefined) return;
  for (const started = Date.now(); Date.now() - started < 15_000;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = cpuSeconds(pid);
    if (now === undefined || now - before < 0.01) return;
    before = now;
  }
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
async function startReference(script, scriptArgs = []) {
  const [cmd, args] = nodeCommand([join(ROOT, 'bench', 'lib', script), ...scriptArgs], SERVER_CPU);
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

const bearer = (token) => ({ authorization: `Bearer ${token}` });

/** The GET operations of the Swagger file the built API generates. */
function swaggerGetRoutes() {
  const file = join(work, 'swagger.json');
  const made = spawnSync(
    process.execPath,
    [join(ROOT, 'dist', 'apps', 'mes-web-api', 'src', 'swagger.js'), '--out', file],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  if (made.status !== 0) throw new Error(`swagger.js failed: ${made.stdout}${made.stderr}`);
  const document = JSON.parse(readFileSync(file, 'utf8'));
  const routes = [];
  for (const [path, item] of Object.entries(document.paths)) {
    const get = item.get;
    if (!get) continue;
    let concrete = path;
    const query = new URLSearchParams();
    for (const parameter of [...(item.parameters ?? []), ...(get.parameters ?? [])]) {
      if (parameter.in !== 'path' && parameter.in !== 'query') continue;
      const value = parameter.required ? SEEDS[parameter.name] : OPTIONAL_SEEDS[parameter.name];
      if (value === undefined) {
        if (parameter.required)
          throw new Error(
            `GET ${path}: no seeded value for the required ${parameter.in} parameter "${parameter.name}" (add it to SEEDS in bench/run.mjs)`,
          );
        continue;
      }
      if (parameter.in === 'path')
        concrete = concrete.replace(`{${parameter.name}}`, encodeURIComponent(value));
      else query.set(parameter.name, value);
    }
    const search = query.size > 0 ? `?${query}` : '';
    routes.push({
      route: path,
      path: `${concrete}${search}`,
      id: path.replace(/^\/mesmw\/(api\/)?/, ''),
    });
  }
  return routes;
}

async function main() {
  assertBuilt();
  mkdirSync(RESULTS, { recursive: true });
  log(
    `bench (${MODE}): ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), node ${process.version}, taskset ${HAS_TASKSET ? 'yes' : 'NO (results are noisier)'}`,
  );
  log(
    `bench: ${RUNS} runs x ${DURATION_S} s per scenario, ${WARMUP_S} s warm-up, ${CONNECTIONS} connections`,
  );

  const authority = await startBenchAuthority();
  cleanups.push(() => authority.close());

  const lanes = CONNECTIONS + 1; // one lane per connection + one for the probe
  const dbPath = join(work, 'mes.sqlite');
  log(
    `bench: preparing ${dbPath} (${ROTATION} users, ${lanes} job lanes x ${JOBS_PER_LANE} Ready jobs, ${CONNECTIONS} producing entities)`,
  );
  prepareDatabase(dbPath, {
    users: ROTATION,
    lanes,
    jobsPerLane: JOBS_PER_LANE,
    producers: CONNECTIONS,
  });

  const profileDir = join(RESULTS, 'profiles');
  const nodeArgs = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const api = await startApiProcess({
    dbPath,
    issuer: authority.issuer,
    cpu: SERVER_CPU,
    nodeArgs,
  });
  cleanups.push(() => api.stop());
  // The sweep reads the demo database as `npm start` creates it (a few rows per table), so
  // that a list route answers a list of the size a plant's lookup table has, not 150,000 jobs.
  let demo;
  if (SWEEP) {
    const demoPath = join(work, 'demo.sqlite');
    prepareDatabase(demoPath);
    demo = await startApiProcess({
      dbPath: demoPath,
      issuer: authority.issuer,
      cpu: SERVER_CPU,
      nodeArgs,
    });
    cleanups.push(() => demo.stop());
  }
  // OS Group security (MES_SECURITY_MODE=os-group): the same demo data, a user whose groups come
  // from the SIDs of its token. Its own file: the main API's scenarios write to theirs.
  let osGroup;
  if (!SWEEP) {
    const osGroupPath = join(work, 'os-group.sqlite');
    prepareDatabase(osGroupPath);
    osGroup = await startApiProcess({
      dbPath: osGroupPath,
      issuer: authority.issuer,
      cpu: SERVER_CPU,
      nodeArgs,
      env: { MES_SECURITY_MODE: 'os-group' },
    });
    cleanups.push(() => osGroup.stop());
  }
  const bare = await startReference('bare-server.mjs');
  cleanups.push(() => bare.stop());
  const fastifyRef = await startReference('fastify-server.mjs');
  cleanups.push(() => fastifyRef.stop());
  const nestRef = await startReference('nest-server.mjs');
  cleanups.push(() => nestRef.stop());
  const calibrations = [];
  for (const workUs of CALIBRATION_US) {
    const ref = await startReference('bare-server.mjs', ['--work-us', String(workUs)]);
    cleanups.push(() => ref.stop());
    calibrations.push({ workUs, ref });
  }
  log(`bench: API ${api.base}${demo ? `, demo API ${demo.base}` : ''}, bare ${bare.origin}`);

  const operator = await authority.userToken('mes\\operator');
  const supervisor = await authority.userToken('mes\\supervisor');
  const service = await authority.serviceToken('mes-scheduler');
  const entityPath = `/mesmw/api/v3/entity/key?entId=${ENTITY_ID}`;
  const rotation = [];
  for (let i = 1; i <= ROTATION; i++)
    rotation.push({
      method: 'GET',
      path: entityPath,
      token: await authority.userToken(benchUserId(i)),
    });

  const scenarios = [
    {
      id: 'bare',
      name: 'bare node:http (reference)',
      pid: bare.pid,
      spec: { url: `${bare.origin}/` },
    },
    {
      id: 'fastify',
      name: 'fastify alone, same answer as bare (reference)',
      pid: fastifyRef.pid,
      spec: { url: `${fastifyRef.origin}/` },
    },
    {
      id: 'nest',
      name: 'Nest on fastify, same answer as bare (reference)',
      pid: nestRef.pid,
      spec: { url: `${nestRef.origin}/` },
    },
    ...calibrations.map(({ workUs, ref }) => ({
      id: `calibration-${workUs}us`,
      name: `bare + ${workUs} µs of CPU per request (calibration)`,
      pid: ref.pid,
      spec: { url: `${ref.origin}/` },
    })),
  ];
  /** Adds a GET scenario after checking that it answers 200. */
  const addGet = async (target, { id, name, path, headers = {}, kind = 'get' }) => {
    const answer = await probe(`${target.origin}${path}`, { headers });
    if (answer.status !== 200)
      throw new Error(`GET ${path} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    scenarios.push({
      id,
      name,
      kind,
      target: TARGET.get,
      pid: target.pid,
      bytes: Buffer.byteLength(answer.text),
      spec: { url: `${target.origin}${path}`, headers },
    });
    return answer.text;
  };

  if (SWEEP) {
    for (const route of swaggerGetRoutes()) {
      const short = route.path.replace(/^\/mesmw\/(api\/)?/, '');
      const id = route.id;
      const headers = route.route === '/mesmw/health' ? {} : bearer(supervisor);
      const text = await addGet(demo, { id, name: `GET ${short}`, path: route.path, headers });
      if (text.includes('_utc"')) {
        const joiner = route.path.includes('?') ? '&' : '?';
        await addGet(demo, {
          id: `${id}+tz`,
          name: `GET ${short}, tz_id=${TIME_ZONE}`,
          path: `${route.path}${joiner}tz_id=${encodeURIComponent(TIME_ZONE)}`,
          headers,
        });
      }
      if (SERVICE_ROUTES.has(route.route))
        await addGet(demo, {
          id: `${id}+service`,
          name: `GET ${short}, service token`,
          path: route.path,
          headers: bearer(service),
        });
    }
  } else {
    await addGet(api, { id: 'health', name: 'GET health', path: '/mesmw/health' });
    await addGet(api, {
      id: 'user',
      name: 'GET entity/key, user token',
      path: entityPath,
      headers: bearer(operator),
    });
    await addGet(api, {
      id: 'service',
      name: 'GET entity/key, service token',
      path: entityPath,
      headers: bearer(service),
    });
    // An AD user not in user_name: created by the probe's call, then the warm path as 'user'.
    const adUser = await authority.userToken('mes\\adbench', {
      role: [OS_GROUP_OPERATORS_SID, 'identitymanager.admin'],
    });
    await addGet(osGroup, {
      id: 'user-os-group',
      name: 'GET entity/key, user token, MES_SECURITY_MODE=os-group',
      path: entityPath,
      headers: bearer(adUser),
    });
  }
  const rotationAnswer = await probe(`${api.origin}${entityPath}`, {
    headers: bearer(rotation[0].token),
  });
  if (rotationAnswer.status !== 200)
    throw new Error(`GET ${entityPath} (bench user) answered ${rotationAnswer.status}`);
  scenarios.push({
    id: 'rotation',
    name: `GET entity/key, ${ROTATION} user tokens in rotation`,
    kind: 'rotation',
    target: TARGET.rotation,
    pid: api.pid,
    spec: { url: `${api.origin}${entityPath}`, requests: rotation },
    // The token memo (60 s), user status (30 s) and entity access (30 s) caches expire between
    // runs minutes apart: every run first gets the 1,000 users going again, as steady traffic
    // from 1,000 users would keep them (its re-verifications then spread over the minute).
    rewarm: true,
  });

  // Production: each producing entity runs one job, started here through the API; the posts go
  // to those jobs in rotation (machines reporting counts).
  const json = { ...bearer(supervisor), 'content-type': 'application/json' };
  const productionJobs = [];
  for (let p = 0; p < CONNECTIONS; p++) {
    const entId = PRODUCER_ENT_BASE + p;
    const job = { wo_id: BENCH_WO, oper_id: producerOperId(p), seq_no: 0 };
    const started = await probe(`${api.origin}/mesmw/api/v3/jobs/start`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ ent_id: entId, run_ent_id: entId, ...job }),
    });
    if (started.status !== 200)
      throw new Error(`starting ${job.oper_id} answered ${started.status}: ${started.text}`);
    productionJobs.push(job);
  }
  const productionPath = '/mesmw/api/v3/production/byJob';
  const produced = await probe(`${api.origin}${productionPath}`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ ...productionJobs[0], qty_prod: 1 }),
  });
  if (produced.status !== 200 && produced.status !== 201)
    throw new Error(`POST ${productionPath} answered ${produced.status}: ${produced.text}`);
  scenarios.push({
    id: 'production',
    name: 'POST production/byJob',
    kind: 'write',
    target: TARGET.production,
    pid: api.pid,
    spec: {
      url: `${api.origin}${productionPath}`,
      requests: productionJobs.map((job) => ({
        method: 'POST',
        path: productionPath,
        token: supervisor,
        body: JSON.stringify({ ...job, qty_prod: 1 }),
      })),
    },
  });

  const jobPaths = { startPath: '/mesmw/api/v3/jobs/start', endPath: '/mesmw/api/v3/jobs/end' };
  const probeLane = CONNECTIONS;
  const probeJob = { wo_id: BENCH_WO, oper_id: laneJobOperId(probeLane, 0), seq_no: 0 };
  const probeEnt = LANE_ENT_BASE + probeLane;
  for (const [path, body] of [
    [jobPaths.startPath, { ent_id: probeEnt, run_ent_id: probeEnt, ...probeJob }],
    [jobPaths.endPath, { ent_id: probeEnt, ...probeJob }],
  ]) {
    const res = await probe(`${api.origin}${path}`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`PUT ${path} answered ${res.status}: ${res.text}`);
  }
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
    id: 'job-cycle',
    name: 'PUT jobs/start + jobs/end (requests/s; 2 per cycle)',
    kind: 'write',
    target: TARGET.jobs,
    pid: api.pid,
    spec: {
      url: `${api.origin}/mesmw/`,
      jobCycle: { ...jobPaths, token: supervisor, lanes: laneSpecs },
    },
    consumesJobs: true,
  });

  // Ids key the samples: two scenarios with one id would share (and mix) their figures.
  const ids = new Set();
  for (const s of scenarios) {
    if (ids.has(s.id)) throw new Error(`two bench scenarios have the id "${s.id}"`);
    ids.add(s.id);
  }
  const selected = scenarios.filter(
    (s) =>
      ONLY.length === 0 ||
      s.id === 'bare' ||
      ONLY.some((o) => s.id === o || s.id.startsWith(`${o}`)),
  );
  const measured = selected.filter((s) => s.id !== 'bare');

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
        .prepare(
          `SELECT oper_id, target_ent_id AS ent FROM job WHERE wo_id = ? AND state_cd = 3 AND target_ent_id < ?`,
        )
        .all(BENCH_WO, PRODUCER_ENT_BASE);
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
        headers: json,
        body,
      });
      if (res.status >= 300 && !(res.status === 409 && res.text.includes('Completed')))
        throw new Error(`could not end job ${job.oper_id}: ${res.status} ${res.text}`);
    }
  };
  const bareScenario = scenarios[0];
  const measure = async (scenario, durationS) => {
    const r = await generate(specFor(scenario, durationS), scenario.pid);
    await consumed(scenario);
    if (scenario.kind === 'write') await settle(scenario.pid);
    return r;
  };

  if (WARMUP_S > 0) {
    log(`bench: warm-up (${WARMUP_S} s per scenario)`);
    for (const s of selected) await measure(s, WARMUP_S);
  }
  const samples = new Map(measured.map((s) => [s.id, []]));
  const bareSamples = [];
  for (let run = 1; run <= RUNS; run++) {
    let bareBefore = await measure(bareScenario, DURATION_S);
    bareSamples.push(bareBefore.requestsPerSecond);
    for (let i = 0; i < measured.length; i += BARE_EVERY) {
      const group = measured.slice(i, i + BARE_EVERY);
      const results = [];
      for (const s of group) {
        if (s.rewarm) await measure(s, Math.max(WARMUP_S, 2));
        results.push(await measure(s, DURATION_S));
      }
      const bareAfter = await measure(bareScenario, DURATION_S);
      bareSamples.push(bareAfter.requestsPerSecond);
      const bareRps = (bareBefore.requestsPerSecond + bareAfter.requestsPerSecond) / 2;
      group.forEach((s, k) => {
        const r = results[k];
        r.ratio = r.requestsPerSecond / bareRps;
        samples.get(s.id).push(r);
        log(
          `bench: run ${run}/${RUNS} ${s.id.slice(0, 44).padEnd(44)} ${fmt(r.requestsPerSecond).padStart(7)} req/s  ${r.ratio.toFixed(2)} of bare  p99 ${fmt(r.latencyMs.p99, 1)} ms  non-2xx ${r.non2xx}  errors ${r.errors}  server ${r.serverCpuUsPerRequest?.toFixed(1) ?? '?'} µs CPU/req`,
        );
      });
      bareBefore = bareAfter;
    }
  }

  const rows = measured.map((s) => {
    const rs = samples.get(s.id);
    const rps = rs.map((r) => r.requestsPerSecond);
    const med = median(rps);
    const ratio = median(rs.map((r) => r.ratio));
    const cpu = rs.map((r) => r.serverCpuUsPerRequest).filter((x) => x !== undefined);
    const failures = rs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
    return {
      id: s.id,
      scenario: s.name,
      kind: s.kind,
      answerBytes: s.bytes,
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
    };
  });
  const bareMedian = median(bareSamples);

  const header = [
    'scenario',
    'req/s',
    'ratio to bare',
    'target',
    'p99 ms',
    'µs CPU/req',
    'bytes',
    'result',
  ];
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const md = [
    line(header),
    `|${header.map((_, i) => (i === 0 || i === header.length - 1 ? '---' : '---:')).join('|')}|`,
    line(['bare node:http (reference)', fmt(bareMedian), '1.00', '', '', '', '', '']),
    ...rows.map((r) =>
      line([
        r.scenario,
        fmt(r.requestsPerSecond.median),
        r.ratioToBare.toFixed(2),
        r.target === undefined ? '' : `≥ ${r.target.toFixed(2)}`,
        fmt(r.latencyMs.p99, 1),
        r.serverCpuUsPerRequest === undefined ? '?' : fmt(r.serverCpuUsPerRequest, 0),
        r.answerBytes === undefined ? '' : String(r.answerBytes),
        r.pass === undefined
          ? ''
          : r.pass
            ? 'pass'
            : `FAIL${r.failedResponses ? ` (${r.failedResponses} failed)` : ''}`,
      ]),
    ),
  ].join('\n');
  const gets = rows.filter((r) => r.kind === 'get');
  const getMedian = median(gets.map((r) => r.ratioToBare));
  const medianPass = gets.length === 0 || getMedian >= TARGET.getMedian;
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}, ${HAS_TASKSET ? 'server on CPU 0, generator on CPU 1 (taskset)' : 'no taskset'}`;
  console.log(
    `\nMES Web API benchmark (${MODE}): ${RUNS} runs x ${DURATION_S} s, ${CONNECTIONS} connections, ${GENERATOR === 'wrk' ? 'wrk (job cycle: autocannon)' : 'autocannon'}; ${machine}\n`,
  );
  console.log(md);
  if (gets.length > 0)
    console.log(
      `\nGET routes: ${gets.length}, lowest ratio ${Math.min(...gets.map((r) => r.ratioToBare)).toFixed(2)}, median ${getMedian.toFixed(2)} (target ≥ ${TARGET.getMedian}: ${medianPass ? 'pass' : 'FAIL'})`,
    );
  const failed = rows.filter((r) => r.pass === false);
  const missed = [...failed.map((r) => r.id), ...(medianPass ? [] : ['GET median'])];
  console.log(
    missed.length === 0
      ? 'All targets met.'
      : `Targets missed (${missed.length}): ${missed.length > 12 ? `${missed.slice(0, 12).join(', ')}, …` : missed.join(', ')}`,
  );

  const file = join(
    RESULTS,
    `bench-${MODE}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  writeFileSync(
    file,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        mode: MODE,
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
          bareEvery: BARE_EVERY,
          rotationTokens: ROTATION,
        },
        bare: { runs: bareSamples, median: bareMedian },
        rows,
        getMedian,
        markdown: md,
      },
      null,
      2,
    ),
  );
  console.log(`Results: ${file}`);
  return failed.length === 0 && medianPass ? 0 : 1;
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
