// Counts the CPU instructions the built API spends per request, with valgrind's callgrind: unlike
// time on a VM, the count repeats to about 1 % from one start to the next, so a change worth 2 %
// shows. Starts a token authority and the API under callgrind (counting off), warms the
// scenario up, then counts ROUNDS rounds of N requests (10 keep-alive connections) and prints
// instructions per request for each round and the lowest (a round that ran a major GC counts
// more). Only user-space instructions are counted; kernel time (syscalls) is not.
//
// Usage: node bench/instructions.mjs [user|user-tz|service|health|entities|jobs|production|cycle|bare|fastify|nest] [rounds]
// (bare, fastify and nest count the reference servers of bench/run.mjs instead of the API;
// production counts POST production/byJob over 50 running jobs, as the bench's production scenario;
// cycle counts PUT jobs/start + jobs/end, as the bench's job-cycle scenario)
// Environment: INSTR_PATH (another path to count, with the scenario's token), INSTR_USER (the user
// of the user token; mes\operator), INSTR_REQUESTS (2000 per round), INSTR_WARMUP (12000), INSTR_KEEP (a file to copy
// the lowest round's callgrind dump to, for callgrind_annotate), INSTR_NODE_ARGS (node options for
// the API, e.g. --perf-basic-prof to name JIT code in /tmp/perf-<pid>.map). Needs valgrind.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchAuthority } from './lib/authority.mjs';
import {
  apiNodeFlags,
  assertBuilt,
  BENCH_WO,
  intSetting,
  LANE_ENT_BASE,
  laneJobOperId,
  prepareDatabase,
  PRODUCER_ENT_BASE,
  producerOperId,
  ROOT,
} from './lib/api-process.mjs';

const PATHS = {
  user: '/mesmw/api/v3/entity/key?entId=5',
  service: '/mesmw/api/v3/entity/key?entId=5',
  'user-tz': '/mesmw/api/v3/entity/key?entId=5&tz_id=Europe/Berlin',
  health: '/mesmw/health',
  /** Lists (user token): the entities, and the jobs of a work order. */
  entities: '/mesmw/api/v3/entity',
  jobs: '/mesmw/api/jobs?woId=WO-1001',
  /** POST, with a body naming one of the running jobs in turn (the supervisor's token). */
  production: '/mesmw/api/v3/production/byJob',
  /** PUT jobs/start then jobs/end, each of 10 connections walking the Ready jobs of its entity. */
  cycle: '/mesmw/api/v3/jobs/start',
  bare: '/',
  fastify: '/',
  nest: '/',
};
/** The reference servers (bench/lib), counted the same way: the floor under the API's count. */
const REFERENCES = {
  bare: 'bare-server.mjs',
  fastify: 'fastify-server.mjs',
  nest: 'nest-server.mjs',
};
const [scenario = 'user', roundsArg = '5'] = process.argv.slice(2);
if (!(scenario in PATHS) || !/^[1-9]\d?$/.test(roundsArg)) {
  console.error(
    'usage: node bench/instructions.mjs [user|user-tz|service|health|entities|jobs|production|cycle|bare|fastify|nest] [rounds 1-99]',
  );
  process.exit(2);
}
if (spawnSync('valgrind', ['--version']).error) {
  console.error('valgrind is not installed (Debian: apt-get install valgrind)');
  process.exit(2);
}
/** INSTR_PATH: another path (and query) to count with the scenario's token. */
const PATH = process.env.INSTR_PATH ?? PATHS[scenario];
const REQUESTS = intSetting('INSTR_REQUESTS', 2000, 100, 1_000_000);
const WARMUP = intSetting('INSTR_WARMUP', 12_000, 0, 10_000_000);
assertBuilt();

const work = mkdtempSync(join(tmpdir(), 'mes-instr-'));
const authority = await startBenchAuthority();
const dbPath = join(work, 'mes.sqlite');
const PRODUCERS = 50;
const LANES = 10;
/**
 * cycle: every request of warm-up and rounds is half a cycle; the lanes share the requests but
 * not evenly (a faster lane takes more), so each gets half as many jobs again as its share.
 */
const JOBS_PER_LANE = Math.ceil(((WARMUP + Number(roundsArg) * REQUESTS) / 2 / LANES) * 1.5) + 50;
prepareDatabase(
  dbPath,
  scenario === 'production'
    ? { producers: PRODUCERS }
    : scenario === 'cycle'
      ? { lanes: LANES, jobsPerLane: JOBS_PER_LANE }
      : {},
);
// vgdb (behind callgrind_control) names its pipes after USER and HOST: the same for both sides.
const vgEnv = { ...process.env, USER: process.env.USER ?? 'bench', HOST: '127.0.0.1' };
const out = join(work, 'callgrind.out');
const api = spawn(
  'valgrind',
  [
    '--tool=callgrind',
    '--instr-atstart=no',
    '--smc-check=all-non-file',
    `--callgrind-out-file=${out}`,
    process.execPath,
    ...apiNodeFlags(),
    ...(process.env.INSTR_NODE_ARGS ?? '').split(' ').filter(Boolean),
    scenario in REFERENCES
      ? join(ROOT, 'bench', 'lib', REFERENCES[scenario])
      : join(ROOT, 'dist/apps/mes-web-api/src/main.js'),
  ],
  {
    cwd: ROOT,
    env: {
      ...vgEnv,
      NODE_ENV: 'production',
      PORT: '0',
      DB_TYPE: 'sqlite',
      DB_PATH: dbPath,
      AIM_AUTHORITY: authority.issuer,
      LOG_LEVEL: 'warn',
      METRICS_PORT: '0', // any free port: never collides with another instance's metrics listener
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
let output = '';
const origin = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`API did not start:\n${output}`)), 180_000);
  const onData = (chunk) => {
    output += chunk;
    const m = /(?:listening on|server ready:) (https?:\/\/[^/\s]+)/.exec(output);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  };
  api.stdout.on('data', onData);
  api.stderr.on('data', (chunk) => (output += chunk));
  api.once('exit', (code) => reject(new Error(`API exited (${code}):\n${output}`)));
});

const token =
  scenario === 'user' || scenario === 'user-tz' || scenario === 'entities' || scenario === 'jobs'
    ? await authority.userToken(process.env.INSTR_USER ?? 'mes\\operator')
    : scenario === 'service'
      ? await authority.serviceToken('mes-scheduler')
      : scenario === 'production' || scenario === 'cycle'
        ? await authority.userToken('mes\\supervisor')
        : undefined;
/** production: the bodies posted in turn, one per job (each started here first). */
const bodies = [];
if (scenario === 'production') {
  for (let p = 0; p < PRODUCERS; p++) {
    const job = { wo_id: BENCH_WO, oper_id: producerOperId(p), seq_no: 0 };
    const entId = PRODUCER_ENT_BASE + p;
    const res = await fetch(`${origin}/mesmw/api/v3/jobs/start`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ent_id: entId, run_ent_id: entId, ...job }),
    });
    if (res.status !== 200) {
      throw new Error(`start ${job.oper_id}: ${res.status} ${await res.text()}`);
    }
    bodies.push(JSON.stringify({ ...job, qty_prod: 1 }));
  }
}
const agent = new http.Agent({ keepAlive: true, maxSockets: LANES });
/** cycle: the next job (and whether it is to start or end) of each lane. */
const laneSteps = new Array(LANES).fill(0);
/** The next request of `lane`: method, path and body (undefined for a GET). */
function nextRequest(lane, sent) {
  if (scenario === 'cycle') {
    const step = laneSteps[lane]++;
    const entId = LANE_ENT_BASE + lane;
    const job = { wo_id: BENCH_WO, oper_id: laneJobOperId(lane, step >> 1), seq_no: 0 };
    return step % 2 === 0
      ? ['PUT', PATHS.cycle, JSON.stringify({ ent_id: entId, run_ent_id: entId, ...job })]
      : ['PUT', '/mesmw/api/v3/jobs/end', JSON.stringify({ ent_id: entId, ...job })];
  }
  if (bodies.length > 0) return ['POST', PATH, bodies[sent % bodies.length]];
  return ['GET', PATH, undefined];
}
async function load(count) {
  let sent = 0;
  let failed = 0;
  let firstFailure = '';
  const one = (lane) =>
    new Promise((resolve) => {
      const [method, path, body] = nextRequest(lane, sent);
      const headers = token ? { authorization: `Bearer ${token}` } : {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      const req = http.request(`${origin}${path}`, { agent, method, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) {
            failed++;
            firstFailure ||= `${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`;
          }
          resolve();
        });
      });
      req.on('error', (error) => {
        failed++;
        firstFailure ||= String(error);
        resolve();
      });
      req.end(body);
    });
  const lane = async (index) => {
    while (sent < count) {
      sent++;
      await one(index);
    }
  };
  await Promise.all(Array.from({ length: LANES }, (_, index) => lane(index)));
  if (failed) throw new Error(`${failed} of ${count} requests failed; first: ${firstFailure}`);
}
const control = (...args) => {
  const r = spawnSync('callgrind_control', [...args, String(api.pid)], { env: vgEnv });
  if (r.status !== 0) throw new Error(`callgrind_control ${args.join(' ')}: ${r.stderr}`);
};
const dumps = () => readdirSync(work).filter((f) => f.startsWith('callgrind.out'));

const counts = [];
try {
  await load(WARMUP);
  for (let round = 0; round < Number(roundsArg); round++) {
    const before = dumps().length;
    control('-z');
    control('-i', 'on');
    await load(REQUESTS);
    control('-i', 'off');
    control('-d');
    let file;
    for (let i = 0; i < 100 && !file; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const all = dumps();
      if (all.length > before) file = all.sort().at(-1);
    }
    if (!file) throw new Error('callgrind wrote no dump');
    const totals = /^totals: (\d+)/m.exec(readFileSync(join(work, file), 'utf8'));
    counts.push(Math.round(Number(totals?.[1] ?? NaN) / REQUESTS));
    // INSTR_KEEP keeps the lowest round: a round with a major GC or a recompile says less.
    if (process.env.INSTR_KEEP && counts.at(-1) === Math.min(...counts)) {
      copyFileSync(join(work, file), process.env.INSTR_KEEP);
    }
    process.stderr.write(
      `round ${round + 1}: ${counts.at(-1).toLocaleString('en-US')} instructions/request\n`,
    );
  }
  console.log(
    `${scenario} ${PATH}: lowest ${Math.min(...counts).toLocaleString('en-US')} instructions/request over ${counts.length} rounds of ${REQUESTS} (${counts.map((c) => c.toLocaleString('en-US')).join(', ')})`,
  );
} finally {
  agent.destroy();
  api.kill('SIGTERM');
  await new Promise((r) => api.once('exit', r));
  await authority.close();
  rmSync(work, { recursive: true, force: true });
}
