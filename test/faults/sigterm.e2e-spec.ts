import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { TestAuthority } from '../support/test-authority';
import {
  ApiChild,
  FAULT_ENT_BASE,
  FAULT_WO,
  faultOperId,
  integrityCheck,
  jobStates,
  prepareFaultDatabase,
  request,
  sleep,
  startApiChild,
} from './fault-support';

/*
 * SIGTERM while the API (a real process, main.ts) serves reads and job Start/End cycles: every
 * request sent before the signal gets its full answer, requests after it are refused cleanly
 * (503 on an open connection, or no connection), the process exits with code 0, and the database
 * holds no half-done job: every job is Ready or Completed except those whose Start was answered
 * 2xx without an End, and job_exec agrees.
 */

const LANES = 8;
const JOBS_PER_LANE = 400;

describe('faults: SIGTERM during load', () => {
  let dir: string;
  let dbPath: string;
  let authority: TestAuthority;
  let api: ApiChild | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-fault-sigterm-'));
    dbPath = join(dir, 'mes.sqlite');
    await prepareFaultDatabase(dbPath, LANES, JOBS_PER_LANE);
    authority = await TestAuthority.start();
  });

  afterAll(async () => {
    api?.kill();
    await authority?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets in-flight requests finish, exits 0 and leaves no partial job state', async () => {
    api = await startApiChild({ DB_PATH: dbPath, AIM_AUTHORITY: authority.issuer });
    const base = api.base;
    const supervisor = await authority.userToken('mes\\supervisor');
    const operator = await authority.userToken('mes\\operator');
    // Warm: keys fetched, users cached.
    expect(await request(`${base}/api/v3/systemAttribute/199`, { token: operator })).toMatchObject({
      status: 200,
    });

    let signalled = false;
    let sentBeforeSignal = 0;
    const beforeSignal: string[] = [];
    const started: string[][] = Array.from({ length: LANES }, () => []);
    const ended: string[][] = Array.from({ length: LANES }, () => []);
    const afterSignal: Record<string, number> = {};
    const noteAfter = (o: Awaited<ReturnType<typeof request>>): void => {
      const k = 'error' in o ? `network ${o.error}` : String(o.status);
      afterSignal[k] = (afterSignal[k] ?? 0) + 1;
    };
    const deadline = Date.now() + 30_000;
    // A request still on its way when the signal lands is refused with 503 (nothing written: the
    // database check below proves it); one the server had begun must complete with 200.
    const refusedCleanly = (o: Awaited<ReturnType<typeof request>>): boolean =>
      'status' in o && o.status === 503;

    const cycle = async (lane: number): Promise<void> => {
      const entId = FAULT_ENT_BASE + lane;
      for (let j = 0; j < JOBS_PER_LANE && Date.now() < deadline; j++) {
        const key = { wo_id: FAULT_WO, oper_id: faultOperId(lane, j), seq_no: 0 };
        const before = !signalled;
        if (before) sentBeforeSignal += 1;
        const start = await request(`${base}/api/v3/Jobs/Start`, {
          method: 'PUT',
          token: supervisor,
          body: { ...key, ent_id: entId, run_ent_id: entId },
        });
        if (!before) noteAfter(start);
        if (!('status' in start) || start.status !== 200) {
          if (before && !refusedCleanly(start))
            beforeSignal.push(`Start ${JSON.stringify(start).slice(0, 300)}`);
          return;
        }
        started[lane].push(key.oper_id);
        const endBefore = !signalled;
        if (endBefore) sentBeforeSignal += 1;
        const end = await request(`${base}/api/v3/Jobs/End`, {
          method: 'PUT',
          token: supervisor,
          body: { ...key, ent_id: entId },
        });
        if (!endBefore) noteAfter(end);
        if (!('status' in end) || end.status !== 200) {
          if (endBefore && !refusedCleanly(end))
            beforeSignal.push(`End ${JSON.stringify(end).slice(0, 300)}`);
          return;
        }
        ended[lane].push(key.oper_id);
      }
    };
    const read = async (): Promise<void> => {
      while (Date.now() < deadline) {
        const before = !signalled;
        if (before) sentBeforeSignal += 1;
        const res = await request(`${base}/api/v3/systemAttribute/199`, { token: operator });
        if (!before) {
          noteAfter(res);
          if (!('status' in res) || res.status !== 200) return;
        } else if (!('status' in res) || res.status !== 200) {
          if (!refusedCleanly(res)) beforeSignal.push(`read ${JSON.stringify(res).slice(0, 300)}`);
          return;
        }
      }
    };
    const loops = [
      ...Array.from({ length: LANES }, (_, lane) => cycle(lane)),
      ...Array.from({ length: 4 }, () => read()),
    ];

    await sleep(1_500);
    signalled = true;
    api.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      api.exited,
      new Promise(
        (r) => (timer = setTimeout(() => r({ code: -1, signal: 'did not exit in 20 s' }), 20_000)),
      ),
    ]);
    clearTimeout(timer);
    await Promise.all(loops);

    // Every request sent before the signal was answered: 200, or 503 if it reached a closing server.
    expect(beforeSignal).toEqual([]);
    expect(sentBeforeSignal).toBeGreaterThan(20);
    // After it: refused cleanly, never a 5xx other than the closing server's 503.
    for (const k of Object.keys(afterSignal)) {
      expect(['200', '503'].includes(k) || k.startsWith('network ')).toBe(true);
    }
    expect(exit).toEqual({ code: 0, signal: null });

    // No partial job state: the database agrees with the answers.
    expect(integrityCheck(dbPath)).toBe('ok');
    const states = jobStates(dbPath);
    const nStarted = started.flat().length;
    const nEnded = ended.flat().length;
    expect(nEnded).toBeGreaterThan(0);
    const running = nStarted - nEnded;
    expect(states[4] ?? 0).toBe(nEnded);
    expect(states[3] ?? 0).toBe(running);
    expect(states[2] ?? 0).toBe(LANES * JOBS_PER_LANE - nStarted);
    const db = new Database(dbPath, { readonly: true });
    try {
      const busy = db
        .prepare(
          'SELECT ent_id, cur_oper_id FROM job_exec WHERE ent_id >= ? AND cur_wo_id IS NOT NULL',
        )
        .all(FAULT_ENT_BASE) as { ent_id: number; cur_oper_id: string }[];
      const expected = started
        .map((ops, lane) => ({
          lane,
          last: ops[ops.length - 1],
          done: ended[lane].length === ops.length,
        }))
        .filter((x) => x.last !== undefined && !x.done)
        .map((x) => ({ ent_id: FAULT_ENT_BASE + x.lane, cur_oper_id: x.last }));
      expect(busy.sort((a, b) => a.ent_id - b.ent_id)).toEqual(expected);
      const history = db
        .prepare('SELECT event, COUNT(*) AS n FROM job_history WHERE wo_id = ? GROUP BY event')
        .all(FAULT_WO) as { event: string; n: number }[];
      expect(Object.fromEntries(history.map((h) => [h.event, h.n]))).toEqual(
        nEnded > 0 ? { Start: nStarted, End: nEnded } : { Start: nStarted },
      );
    } finally {
      db.close();
    }
  }, 60_000);
});

describe('faults: SIGTERM while an MES transaction is open', () => {
  let dir: string;
  let dbPath: string;
  let authority: TestAuthority;
  let api: ApiChild | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-fault-sigterm-tx-'));
    dbPath = join(dir, 'mes.sqlite');
    await prepareFaultDatabase(dbPath, 1, 10);
    authority = await TestAuthority.start();
  });

  afterAll(async () => {
    api?.kill();
    await authority?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rolls the open transaction back before exit: exit code 0, nothing of it written', async () => {
    api = await startApiChild({ DB_PATH: dbPath, AIM_AUTHORITY: authority.issuer });
    const supervisor = await authority.userToken('mes\\supervisor');
    const read = () => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return {
          job: db
            .prepare('SELECT state_cd, qty_prod FROM job WHERE wo_id = ? AND oper_id = ?')
            .get(FAULT_WO, faultOperId(0, 0)),
          attr: db.prepare('SELECT attr_value FROM system_attr WHERE attr_id = 110').get(),
          history: db.prepare('SELECT COUNT(*) AS n FROM job_history').get(),
        };
      } finally {
        db.close();
      }
    };
    const before = read();
    const opened = await request(`${api.base}/api/v3/transaction`, {
      method: 'POST',
      token: supervisor,
    });
    if (!('status' in opened)) throw new Error(opened.error);
    expect(opened.status).toBe(200);
    const transId = (JSON.parse(opened.text) as { trans_id: string }).trans_id;
    const headers = { trans_id: transId };
    const entId = FAULT_ENT_BASE;
    const key = { wo_id: FAULT_WO, oper_id: faultOperId(0, 0), seq_no: 0 };
    for (const [path, method, body] of [
      ['Jobs/Start', 'PUT', { ...key, ent_id: entId, run_ent_id: entId }],
      ['Production/ByJob', 'POST', { ...key, qty_prod: 7 }],
      ['systemAttribute/110', 'PUT', { attr_value: 'in flight' }],
    ] as const) {
      const res = await request(`${api.base}/api/v3/${path}`, {
        method,
        token: supervisor,
        body,
        headers,
      });
      expect('status' in res ? res.status : res.error).toBe(200);
    }
    api.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      api.exited,
      new Promise(
        (r) => (timer = setTimeout(() => r({ code: -1, signal: 'no exit in 20 s' }), 20_000)),
      ),
    ]);
    clearTimeout(timer);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(read()).toEqual(before);
    expect(integrityCheck(dbPath)).toBe('ok');
  }, 60_000);
});
