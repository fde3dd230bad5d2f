// Runs the MES Web API exactly as built and started (`npm run start:api`: node, its options,
// dist/apps/mes-web-api/src/main.js) as a child process on its own temporary SQLite database,
// and prepares that database: migrations + demo seed (through the built migrate.js), then extra
// rows for load: many MES users, entities and Ready jobs, written with better-sqlite3 before the
// API opens the file.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'mes-web-api', 'src', 'main.js');
const MIGRATE = join(ROOT, 'dist', 'apps', 'mes-web-api', 'src', 'migrate.js');
const require = createRequire(import.meta.url);

/**
 * The node options `npm run start:api` starts the API with (package.json), e.g.
 * `--max-semi-space-size=64`: the bench and the load suite start it the same way, so they
 * measure the API as it is run.
 */
export function apiNodeFlags() {
  const script = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts['start:api'];
  const words = script.trim().split(/\s+/);
  const main = words.indexOf('dist/apps/mes-web-api/src/main.js');
  if (words[0] !== 'node' || main < 1 || words.slice(1, main).some((w) => !w.startsWith('--')))
    throw new Error(
      `package.json "start:api" must be "node [--options] dist/apps/mes-web-api/src/main.js", not "${script}"`,
    );
  return words.slice(1, main);
}

export const HAS_TASKSET = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** `node args…`, pinned to `cpu` with taskset when it exists. */
export function nodeCommand(args, cpu) {
  return HAS_TASKSET && cpu !== undefined
    ? ['taskset', ['-c', String(cpu), process.execPath, ...args]]
    : [process.execPath, args];
}

export function assertBuilt() {
  if (!existsSync(MAIN) || !existsSync(MIGRATE)) {
    throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm run bench does).`);
  }
}

/** Bench user ids: `bench\u0001` … (active operators with access to entities 3-7). */
export const benchUserId = (i) => `bench\\u${String(i).padStart(4, '0')}`;
/** First id of the extra entities that can run jobs (one per job lane). */
export const LANE_ENT_BASE = 100;
/** First id of the producing entities (one Ready job each, started by the bench). */
export const PRODUCER_ENT_BASE = 1000;
/** oper_id of the job of producing entity `p`. */
export const producerOperId = (p) => `P${String(p).padStart(4, '0')}`;
export const BENCH_WO = 'WO-BENCH';

/**
 * Migrates + seeds `dbPath`, then adds `users` operators, `lanes` job-running entities (ids from
 * LANE_ENT_BASE, under Line 1, both groups have access) and `jobsPerLane` Ready jobs on each,
 * and `producers` more such entities (ids from PRODUCER_ENT_BASE) with one Ready job each.
 */
export function prepareDatabase(
  dbPath,
  { users = 0, lanes = 0, jobsPerLane = 0, producers = 0 } = {},
) {
  const migrated = spawnSync(process.execPath, [MIGRATE], {
    cwd: ROOT,
    env: { ...process.env, DB_TYPE: 'sqlite', DB_PATH: dbPath },
    encoding: 'utf8',
  });
  if (migrated.status !== 0) {
    throw new Error(`migration failed: ${migrated.stdout}${migrated.stderr}`);
  }
  const Database = require('better-sqlite3');
  const db = new Database(dbPath);
  try {
    const stamp = new Date().toISOString().replace('T', ' ').replace('Z', '');
    const edit = { last_edit_by: 'bench', last_edit_at: stamp };
    const statements = new Map();
    const columnSets = new Map();
    const columns = (table) => {
      let set = columnSets.get(table);
      if (!set) {
        set = new Set(
          db
            .prepare(`PRAGMA table_info("${table}")`)
            .all()
            .map((c) => c.name),
        );
        columnSets.set(table, set);
      }
      return set;
    };
    /** INSERT with bound parameters, adding last_edit_by/at where the table has them. */
    const withEdit = (table, row) => {
      const cols = columns(table);
      const full = { ...row };
      for (const [k, v] of Object.entries(edit)) if (cols.has(k)) full[k] = v;
      const names = Object.keys(full);
      const key = `${table}:${names.join(',')}`;
      let statement = statements.get(key);
      if (!statement) {
        statement = db.prepare(
          `INSERT INTO "${table}" (${names.map((c) => `"${c}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
        );
        statements.set(key, statement);
      }
      statement.run(...names.map((c) => full[c]));
    };
    db.transaction(() => {
      for (let i = 1; i <= users; i++) {
        const userId = benchUserId(i);
        withEdit('user_name', {
          user_id: userId,
          user_desc: `Bench user ${i}`,
          active: 1,
          auth_method: 1,
        });
        withEdit('user_grp_link', { grp_id: 2, user_id: userId });
      }
      if (lanes > 0 || producers > 0) {
        withEdit('wo', {
          wo_id: BENCH_WO,
          wo_desc: 'Benchmark jobs',
          item_id: 'WIDGET-100',
          req_qty: 0,
          priority: 1,
        });
      }
      const entCols = columns('ent');
      const addEntity = (entId, name) => {
        const ent = { ent_id: entId, ent_name: name, parent_ent_id: 3, can_run_jobs: 1 };
        for (const flag of ['can_sched_jobs', 'can_capture_util'])
          if (entCols.has(flag)) ent[flag] = 1;
        withEdit('ent', ent);
        withEdit('grp_ent_link', { grp_id: 1, ent_id: entId, accss: 1 });
        withEdit('grp_ent_link', { grp_id: 2, ent_id: entId, accss: 1 });
        withEdit('job_exec', { ent_id: entId, job_pos: 0 });
      };
      const addJob = (operId, entId) =>
        withEdit('job', {
          wo_id: BENCH_WO,
          oper_id: operId,
          seq_no: 0,
          item_id: 'WIDGET-100',
          state_cd: 2,
          req_qty: 1,
          target_ent_id: entId,
        });
      for (let l = 0; l < lanes; l++) {
        addEntity(LANE_ENT_BASE + l, `Bench cell ${l + 1}`);
        for (let j = 0; j < jobsPerLane; j++) addJob(laneJobOperId(l, j), LANE_ENT_BASE + l);
      }
      for (let p = 0; p < producers; p++) {
        addEntity(PRODUCER_ENT_BASE + p, `Bench producer ${p + 1}`);
        addJob(producerOperId(p), PRODUCER_ENT_BASE + p);
      }
    })();
  } finally {
    db.close();
  }
}

/** oper_id of job `j` of lane `l` (nvarchar(40)). */
export const laneJobOperId = (l, j) =>
  `L${String(l).padStart(3, '0')}-${String(j).padStart(6, '0')}`;

const BANNER = /MES Web API listening on (https?:\/\/[^/\s]+)\/mesmw\//;

/**
 * Starts the built API on 127.0.0.1 and a free port, pinned to `cpu`. Resolves once it
 * printed its banner; `stop(signal)` sends the signal and resolves with the exit code.
 */
export async function startApiProcess({
  dbPath,
  issuer,
  cpu,
  env = {},
  nodeArgs = [],
  startTimeoutMs = 30_000,
}) {
  const [cmd, args] = nodeCommand([...apiNodeFlags(), ...nodeArgs, MAIN], cpu);
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DB_TYPE: 'sqlite',
      DB_PATH: dbPath,
      AIM_AUTHORITY: issuer,
      LOG_LEVEL: 'warn',
      METRICS_PORT: '0', // any free port: never collides with another instance's metrics listener
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString('utf8')).slice(-65_536);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((done) => child.once('exit', (code, signal) => done(code ?? signal)));

  const origin = await new Promise((resolveOrigin, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`API did not start within ${startTimeoutMs} ms:\n${output}`)),
      startTimeoutMs,
    );
    const onData = () => {
      const match = BANNER.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolveOrigin(match[1]);
      }
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`API exited (${code}) before it was ready:\n${output}`));
    });
  });

  let stopping;
  return {
    origin,
    base: `${origin}/mesmw`,
    pid: child.pid,
    child,
    exited,
    output: () => output,
    stop(signal = 'SIGTERM', killAfterMs = 15_000) {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill(signal);
          const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
          const code = await exited;
          clearTimeout(timer);
          return code;
        }
        return child.exitCode ?? child.signalCode;
      })();
      return stopping;
    },
  };
}

/** An integer setting from the environment, or `fallback`; anything else stops with exit code 2. */
export function intSetting(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`${name} must be an integer from ${min} to ${max}`);
    process.exit(2);
  }
  return n;
}
