// Helpers of the fault suite: bounded request loops, a database prepared with extra job-running
// entities, a lock holder in another process, and the API as a real child process.
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { buildDataSourceOptions, initializeDataSource } from '@mes-web-api/mes-database';

const ROOT = resolve(__dirname, '..', '..');

export interface LoadStats {
  requests: number;
  byStatus: Record<number, number>;
  /** Network errors (no HTTP answer), by code. */
  errors: Record<string, number>;
  /** Up to 5 unexpected answers, for the failure message. */
  samples: string[];
}

export interface RunningLoad {
  readonly stats: LoadStats;
  /** Stops the loops after their current request and resolves with the totals. */
  stop(): Promise<LoadStats>;
}

/** Outcome of one request: an HTTP status, or a network error code. */
export type Outcome = { status: number; text: string } | { error: string };

/**
 * `concurrency` loops each calling `send(i)` (i counts per loop) until stopped or `maxMs` passed
 * (a hard bound, so a test can never loop forever).
 */
export function startLoad(
  send: (loop: number, i: number) => Promise<Outcome>,
  options: { concurrency: number; maxMs?: number; expect?: (o: Outcome) => boolean },
): RunningLoad {
  const stats: LoadStats = { requests: 0, byStatus: {}, errors: {}, samples: [] };
  const deadline = Date.now() + (options.maxMs ?? 50_000);
  let stopped = false;
  const loops = Array.from({ length: options.concurrency }, async (_, loop) => {
    for (let i = 0; !stopped && Date.now() < deadline; i++) {
      const outcome = await send(loop, i);
      stats.requests += 1;
      if ('error' in outcome) stats.errors[outcome.error] = (stats.errors[outcome.error] ?? 0) + 1;
      else stats.byStatus[outcome.status] = (stats.byStatus[outcome.status] ?? 0) + 1;
      const ok = options.expect
        ? options.expect(outcome)
        : 'status' in outcome && outcome.status < 300;
      if (!ok && stats.samples.length < 5) {
        stats.samples.push(
          'error' in outcome ? outcome.error : `${outcome.status} ${outcome.text.slice(0, 300)}`,
        );
      }
    }
  });
  return {
    stats,
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return stats;
    },
  };
}

/** fetch that reports a network failure as an outcome instead of throwing. */
export async function request(
  url: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Outcome> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: res.status, text: await res.text() };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return { error: cause?.code ?? (err as Error).name ?? 'error' };
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every `everyMs` until it returns true or `withinMs` passed; returns the last result. */
export async function eventually(
  probe: () => Promise<boolean>,
  withinMs: number,
  everyMs = 250,
): Promise<boolean> {
  const until = Date.now() + withinMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > until) return false;
    await sleep(everyMs);
  }
}

export const FAULT_WO = 'WO-FAULT';
export const FAULT_ENT_BASE = 100;
export const faultOperId = (lane: number, j: number): string =>
  `F${String(lane).padStart(2, '0')}-${String(j).padStart(5, '0')}`;

/**
 * Migrates and seeds `dbPath` (demo plant), then adds `lanes` job-running entities (ids from
 * FAULT_ENT_BASE, every group has access) with `jobsPerLane` Ready jobs each on work order
 * FAULT_WO.
 */
export async function prepareFaultDatabase(
  dbPath: string,
  lanes: number,
  jobsPerLane: number,
): Promise<void> {
  const ds = await initializeDataSource(buildDataSourceOptions({ type: 'sqlite', path: dbPath }));
  await ds.destroy();
  const db = new Database(dbPath);
  try {
    const stamp = {
      last_edit_by: 'fault-test',
      last_edit_at: new Date().toISOString().replace('T', ' ').replace('Z', ''),
    };
    db.transaction(() => {
      db.prepare(
        'INSERT INTO wo (wo_id, wo_desc, item_id, req_qty, priority, last_edit_by, last_edit_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        FAULT_WO,
        'Fault suite jobs',
        'WIDGET-100',
        0,
        1,
        stamp.last_edit_by,
        stamp.last_edit_at,
      );
      const ent = db.prepare(
        'INSERT INTO ent (ent_id, ent_name, parent_ent_id, can_run_jobs, can_sched_jobs, last_edit_by, last_edit_at) VALUES (?, ?, 3, 1, 1, ?, ?)',
      );
      const link = db.prepare(
        'INSERT INTO grp_ent_link (grp_id, ent_id, accss, last_edit_by, last_edit_at) VALUES (?, ?, 1, ?, ?)',
      );
      const exec = db.prepare(
        'INSERT INTO job_exec (ent_id, job_pos, last_edit_by, last_edit_at) VALUES (?, 0, ?, ?)',
      );
      const job = db.prepare(
        `INSERT INTO job (wo_id, oper_id, seq_no, item_id, state_cd, req_qty, target_ent_id, last_edit_by, last_edit_at)
         VALUES (?, ?, 0, 'WIDGET-100', 2, 1, ?, ?, ?)`,
      );
      for (let l = 0; l < lanes; l++) {
        const entId = FAULT_ENT_BASE + l;
        ent.run(entId, `Fault cell ${l + 1}`, stamp.last_edit_by, stamp.last_edit_at);
        link.run(1, entId, stamp.last_edit_by, stamp.last_edit_at);
        link.run(2, entId, stamp.last_edit_by, stamp.last_edit_at);
        exec.run(entId, stamp.last_edit_by, stamp.last_edit_at);
        for (let j = 0; j < jobsPerLane; j++) {
          job.run(FAULT_WO, faultOperId(l, j), entId, stamp.last_edit_by, stamp.last_edit_at);
        }
      }
    })();
  } finally {
    db.close();
  }
}

/** Job states of the fault work order, e.g. { 2: 40, 4: 10 }. */
export function jobStates(dbPath: string): Record<number, number> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db
      .prepare('SELECT state_cd AS s, COUNT(*) AS n FROM job WHERE wo_id = ? GROUP BY state_cd')
      .all(FAULT_WO) as { s: number; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.s, r.n]));
  } finally {
    db.close();
  }
}

export function integrityCheck(dbPath: string): string {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('PRAGMA integrity_check').get() as { integrity_check: string })
      .integrity_check;
  } finally {
    db.close();
  }
}

export interface LockHolder {
  /** Resolves once the other process holds the write lock. */
  readonly locked: Promise<void>;
  /** Rolls back, closes and waits for the process to exit. */
  release(): Promise<void>;
}

/**
 * Another process takes the SQLite write lock (BEGIN IMMEDIATE + a write) and holds it until
 * released (or `maxMs`), like a second writer that hangs.
 */
export function holdWriteLock(dbPath: string, maxMs = 40_000): LockHolder {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.pragma('busy_timeout = 10000');
    db.exec('BEGIN IMMEDIATE');
    db.prepare("UPDATE system_attr SET attr_desc = attr_desc WHERE attr_id = 100").run();
    process.stdout.write('locked\\n');
    const done = () => { try { db.exec('ROLLBACK'); db.close(); } finally { process.exit(0); } };
    process.stdin.on('end', done);
    process.stdin.resume();
    setTimeout(done, ${maxMs});
  `;
  const child = spawn(process.execPath, ['-e', script, dbPath], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const locked = new Promise<void>((resolveLocked, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('locked')) resolveLocked();
    });
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    void exited.then(() => reject(new Error(`lock holder exited: ${out}`)));
  });
  return {
    locked,
    async release() {
      child.stdin.end();
      await exited;
    },
  };
}

export interface ApiChild {
  origin: string;
  base: string;
  child: ChildProcessWithoutNullStreams;
  /** Exit code and signal, once it exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  kill(): void;
}

/**
 * The API as a real process from the TypeScript sources (ts-node, transpile only), exactly
 * main.ts, on 127.0.0.1 and a free port.
 */
export async function startApiChild(env: Record<string, string>): Promise<ApiChild> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      join(ROOT, 'apps', 'mes-web-api', 'src', 'main.ts'),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        METRICS_PORT: '0', // any free port: never collides with another instance's metrics listener
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (c: Buffer): void => {
    output = (output + c.toString()).slice(-32_768);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  const origin = await new Promise<string>((resolveOrigin, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the API did not start within 40 s:\n${output}`));
    }, 40_000);
    const onData = (): void => {
      const m = /MES Web API listening on (http:\/\/[^/\s]+)\/mesmw\//.exec(output);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolveOrigin(m[1]);
      }
    };
    child.stdout.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the API exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  return {
    origin,
    base: `${origin}/mesmw`,
    child,
    exited,
    output: () => output,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      child.stdin.destroy();
      child.stdout.destroy();
      child.stderr.destroy();
    },
  };
}
