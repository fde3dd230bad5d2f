import { DataSource } from 'typeorm';
import { call, RunningApi, startApi } from '../support/api';
import { TestAuthority } from '../support/test-authority';

/*
 * MES transactions over HTTP with real tokens and a real SQLite file: several calls, one database
 * transaction; invisible to others until commit; rolled back without a trace; bounded; owned.
 */

const OPERATOR = 'mes\\operator';
const SUPERVISOR = 'mes\\supervisor';
const NOT_FOUND = /^The transaction ID ".*" doesn't exist: it timed out or was not started\.$/;

interface Job {
  state_cd: number;
  qty_prod: number;
  run_ent_id: number | null;
}

describe('MES transactions (POST/PUT api/v3/transaction, trans_id on every call)', () => {
  let authority: TestAuthority;
  let api: RunningApi;
  let ds: DataSource;
  let operator: string;
  let supervisor: string;
  let service: string;
  let v3: string;
  let nextWo = 0;

  beforeAll(async () => {
    authority = await TestAuthority.start();
    api = await startApi({ env: { AIM_AUTHORITY: authority.issuer, DB_WRITE_WAIT_MS: '3000' } });
    ds = api.app.get(DataSource);
    [operator, supervisor, service] = await Promise.all([
      authority.userToken(OPERATOR),
      authority.userToken(SUPERVISOR),
      authority.serviceToken('mes-scheduler'),
    ]);
    v3 = `${api.base}/api/v3`;
  });

  afterAll(async () => {
    await api?.close();
    await authority?.stop();
  });

  const open = async (token: string) => {
    const res = await call(`${v3}/transaction`, { method: 'POST', token });
    expect(res.status).toBe(200);
    expect(res.body.trans_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(Date.parse(res.body.trans_start_utc as string)).toBeGreaterThan(Date.now() - 10_000);
    return res.body.trans_id as string;
  };
  const end = (token: string, transId: string, action: string) =>
    call(`${v3}/transaction?action=${action}`, {
      method: 'PUT',
      token,
      headers: { trans_id: transId },
    });
  const inTx = (transId: string) => ({ trans_id: transId });

  /** A new work order with one Ready job on entity 6 (Labeler 1), committed directly. */
  async function readyJob(): Promise<{ wo_id: string; oper_id: string; seq_no: number }> {
    const wo = `WO-TX-${++nextWo}`;
    await ds.query(`INSERT INTO wo (wo_id, item_id, req_qty) VALUES (?, 'WIDGET-100', 100)`, [wo]);
    await ds.query(
      `INSERT INTO job (wo_id, oper_id, seq_no, state_cd, target_ent_id, req_qty) VALUES (?, 'OP10', 0, 2, 6, 100)`,
      [wo],
    );
    return { wo_id: wo, oper_id: 'OP10', seq_no: 0 };
  }
  type Key = { wo_id: string; oper_id: string };
  const job = async (key: Key): Promise<Job> =>
    (
      await ds.query<Job[]>(
        'SELECT state_cd, qty_prod, run_ent_id FROM job WHERE wo_id = ? AND oper_id = ? AND seq_no = 0',
        [key.wo_id, key.oper_id],
      )
    )[0];
  const history = async (key: Key): Promise<number> =>
    (
      await ds.query<{ n: number }[]>(
        'SELECT COUNT(*) AS n FROM job_history WHERE wo_id = ? AND oper_id = ? AND seq_no = 0',
        [key.wo_id, key.oper_id],
      )
    )[0].n;
  const position6 = async (): Promise<string | null> =>
    (
      await ds.query<{ cur_wo_id: string | null }[]>(
        'SELECT cur_wo_id FROM job_exec WHERE ent_id = 6 AND job_pos = 0',
      )
    )[0].cur_wo_id;
  const freePosition6 = () =>
    ds.query(
      'UPDATE job_exec SET cur_wo_id = NULL, cur_oper_id = NULL, cur_seq_no = NULL WHERE ent_id = 6',
    );

  /** Start, two production posts, inside `transId`; checks each answer. */
  async function workflow(token: string, transId: string, key: Key): Promise<void> {
    const start = await call(`${v3}/Jobs/Start`, {
      method: 'PUT',
      token,
      headers: inTx(transId),
      body: { ...key, oper_id: 'OP10', seq_no: 0, ent_id: 6, run_ent_id: 6 },
    });
    expect(start.status).toBe(200);
    expect(start.body).toMatchObject({ state_cd: 3, state_cd_before: 2, ent_id: 6, job_pos: 0 });
    for (const qty of [10, 15]) {
      const posted = await call(`${v3}/Production/ByJob`, {
        method: 'POST',
        token,
        headers: inTx(transId),
        body: { ...key, oper_id: 'OP10', seq_no: 0, qty_prod: qty },
      });
      expect(posted.status).toBe(200);
    }
  }

  it.each([
    ['a user token', () => operator, 'mes\\operator'],
    ['a service token (the background user)', () => service, 'Default Background User'],
  ])(
    'a workflow (start, two production posts) with %s is seen by nobody else until it is committed',
    async (_mode, tokenOf, editor) => {
      const caller = tokenOf();
      await freePosition6();
      const key = await readyJob();
      const transId = await open(caller);
      await workflow(caller, transId, key);
      // Inside the transaction the calls see their own writes.
      const inside = await call(`${v3}/jobs/key?woId=${key.wo_id}&operId=OP10&seqNo=0`, {
        token: caller,
        headers: inTx(transId),
      });
      expect(inside.body).toMatchObject({ state_cd: 3, qty_prod: 25, run_ent_id: 6 });
      // Outside: another caller, and the database itself, still see the committed state.
      const outside = await call(`${v3}/jobs/key?woId=${key.wo_id}&operId=OP10&seqNo=0`, {
        token: supervisor,
      });
      expect(outside.body).toMatchObject({ state_cd: 2, qty_prod: 0 });
      expect(await job(key)).toEqual({ state_cd: 2, qty_prod: 0, run_ent_id: null });
      expect(await history(key)).toBe(0);
      const committed = await end(caller, transId, 'commit');
      expect(committed.status).toBe(200);
      expect(committed.body).toEqual({ trans_id: transId, outcome: 'committed' });
      expect(await job(key)).toEqual({ state_cd: 3, qty_prod: 25, run_ent_id: 6 });
      expect(await history(key)).toBe(3);
      expect(await position6()).toBe(key.wo_id);
      const [stamp] = await ds.query<{ last_edit_by: string }[]>(
        'SELECT last_edit_by FROM job WHERE wo_id = ? AND oper_id = ? AND seq_no = 0',
        [key.wo_id, key.oper_id],
      );
      expect(stamp.last_edit_by).toBe(editor);
      // The id is gone.
      const again = await end(caller, transId, 'commit');
      expect(again.status).toBe(404);
      expect(again.body).toMatchObject({ code: 'TRANSACTION_NOT_FOUND' });
      expect(again.body.detail).toMatch(NOT_FOUND);
    },
  );

  it.each(['rollback', 'cancel', 'abort'])(
    'action=%s rolls back: job state, quantities, positions and history are untouched',
    async (action) => {
      await freePosition6();
      const key = await readyJob();
      const transId = await open(operator);
      await workflow(operator, transId, key);
      const rolledBack = await end(operator, transId, action);
      expect(rolledBack.status).toBe(200);
      expect(rolledBack.body).toEqual({ trans_id: transId, outcome: 'rolled_back' });
      expect(await job(key)).toEqual({ state_cd: 2, qty_prod: 0, run_ent_id: null });
      expect(await history(key)).toBe(0);
      expect(await position6()).toBeNull();
      const gone = await call(`${v3}/jobs/key?woId=${key.wo_id}&operId=OP10&seqNo=0`, {
        token: operator,
        headers: inTx(transId),
      });
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('TRANSACTION_NOT_FOUND');
    },
  );

  it('a call that fails inside the transaction changes nothing and leaves the transaction usable', async () => {
    await freePosition6();
    const key = await readyJob();
    const transId = await open(operator);
    const tooMuch = await call(`${v3}/Production/ByJob`, {
      method: 'POST',
      token: operator,
      headers: inTx(transId),
      body: { ...key, qty_prod: 5 },
    });
    expect(tooMuch.status).toBe(409); // not running yet
    const badInput = await call(`${v3}/Production/ByJob`, {
      method: 'POST',
      token: operator,
      headers: inTx(transId),
      body: { ...key, qty_prod: -1 },
    });
    expect(badInput.status).toBe(400);
    await workflow(operator, transId, key);
    expect((await end(operator, transId, 'commit')).status).toBe(200);
    expect(await job(key)).toMatchObject({ state_cd: 3, qty_prod: 25 });
  });

  it('belongs to its opener: another user, or another service client, gets the same 404', async () => {
    // On SQLite one transaction is open at a time (it holds the write lock): one after the other.
    const transId = await open(operator);
    for (const token of [supervisor, service]) {
      const res = await call(`${v3}/systemAttribute/199`, { token, headers: inTx(transId) });
      expect(res.status).toBe(404);
      expect(res.body.detail).toMatch(NOT_FOUND);
      expect((await end(token, transId, 'commit')).status).toBe(404);
    }
    expect((await end(operator, transId, 'rollback')).status).toBe(200);
    const serviceTx = await open(service);
    const otherClient = await authority.serviceToken('mes-other-client');
    const other = await call(`${v3}/systemAttribute/199`, {
      token: otherClient,
      headers: inTx(serviceTx),
    });
    expect(other.status).toBe(404);
    const own = await call(`${v3}/systemAttribute/199`, {
      token: service,
      headers: inTx(serviceTx),
    });
    expect(own.status).toBe(200);
    expect((await end(service, serviceTx, 'rollback')).status).toBe(200);
  });

  it('trans_id as a header or in the query; the header wins', async () => {
    const transId = await open(supervisor);
    const set = await call(`${v3}/systemAttribute/110?trans_id=${transId}`, {
      method: 'PUT',
      token: supervisor,
      body: { attr_value: '45' },
    });
    expect(set.status).toBe(200);
    const viaQuery = await call(`${v3}/systemAttribute/110?trans_id=${transId}`, {
      token: supervisor,
    });
    expect(viaQuery.body.attr_value).toBe('45');
    // A header naming no transaction wins over the query naming the open one.
    const headerWins = await call(`${v3}/systemAttribute/110?trans_id=${transId}`, {
      token: supervisor,
      headers: { trans_id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(headerWins.status).toBe(404);
    const outside = await call(`${v3}/systemAttribute/110`, { token: supervisor });
    expect(outside.body.attr_value).not.toBe('45');
    const commit = await call(`${v3}/transaction?action=commit&trans_id=${transId}`, {
      method: 'PUT',
      token: supervisor,
    });
    expect(commit.status).toBe(200);
    expect((await call(`${v3}/systemAttribute/110`, { token: supervisor })).body.attr_value).toBe(
      '45',
    );
  });

  it('an id of another instance is a 421 that says so; unknown and malformed ids are 404', async () => {
    const transId = await open(operator);
    const elsewhere = `00000000-4d45-8${transId.slice(15)}`;
    const res = await call(`${v3}/systemAttribute/199`, {
      token: operator,
      headers: inTx(elsewhere),
    });
    expect(res.status).toBe(421);
    expect(res.body).toMatchObject({ code: 'TRANSACTION_ON_OTHER_INSTANCE' });
    expect(res.body.detail).toContain('another instance');
    for (const id of ['c1bec0bd-ce03-4b2c-89e2-8573f11c6d5a', 'nope', '']) {
      const unknown = await call(`${v3}/systemAttribute/199`, {
        token: operator,
        headers: inTx(id),
      });
      expect(unknown.status).toBe(404);
    }
    expect((await end(operator, transId, 'rollback')).status).toBe(200);
  });

  it('PUT transaction without action or trans_id is a 404 naming the parameter; unknown parameters 400', async () => {
    const noAction = await call(`${v3}/transaction`, {
      method: 'PUT',
      token: operator,
      headers: { trans_id: 'x' },
    });
    expect(noAction.status).toBe(404);
    expect(noAction.body.detail).toBe('The required parameter action is missing.');
    const noId = await call(`${v3}/transaction?action=commit`, { method: 'PUT', token: operator });
    expect(noId.status).toBe(404);
    expect(noId.body.detail).toBe('The required parameter trans_id is missing.');
    const extra = await call(`${v3}/transaction?action=commit&force=1`, {
      method: 'PUT',
      token: operator,
      headers: { trans_id: 'x' },
    });
    expect(extra.status).toBe(400);
    expect((await call(`${v3}/transaction`, { method: 'POST' })).status).toBe(401);
  });

  it('calls in one transaction run one at a time, in arrival order: 10 concurrent posts count exactly', async () => {
    await freePosition6();
    const key = await readyJob();
    const transId = await open(operator);
    await workflow(operator, transId, key);
    const posts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(`${v3}/Production/ByJob`, {
          method: 'POST',
          token: operator,
          headers: inTx(transId),
          body: { ...key, qty_prod: i + 1 },
        }),
      ),
    );
    expect(posts.map((p) => p.status)).toEqual(Array(10).fill(200));
    const totals = posts.map((p) => p.body.job_qty_prod as number).sort((a, b) => a - b);
    // Each post saw every post before it: the totals are 25 + a running sum, all distinct.
    expect(new Set(totals).size).toBe(10);
    expect(totals[9]).toBe(25 + 55);
    expect((await end(operator, transId, 'commit')).status).toBe(200);
    expect(await job(key)).toMatchObject({ qty_prod: 80 });
    expect(await history(key)).toBe(13);
  });

  it('holds the SQLite write lock: readers outside keep reading, a writer outside waits its bounded time, then 503', async () => {
    const transId = await open(supervisor);
    const read = await call(`${v3}/systemAttribute/100`, { token: supervisor });
    expect(read.status).toBe(200);
    const started = Date.now();
    const write = await call(`${v3}/systemAttribute/105`, {
      method: 'PUT',
      token: supervisor,
      body: { attr_value: '1031' },
    });
    expect(write.status).toBe(503);
    expect(write.headers.get('retry-after')).toBe('1');
    expect(write.body.code).toBe('DATABASE_UNAVAILABLE');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
    // A second transaction cannot open either while the first holds the lock.
    const second = await call(`${v3}/transaction`, { method: 'POST', token: operator });
    expect(second.status).toBe(503);
    expect((await end(supervisor, transId, 'rollback')).status).toBe(200);
    const after = await call(`${v3}/systemAttribute/105`, {
      method: 'PUT',
      token: supervisor,
      body: { attr_value: '1033' },
    });
    expect(after.status).toBe(200);
  }, 20_000);

  it('20 concurrent workflows with random commit or rollback leave exactly the committed ones', async () => {
    const key = { wo_id: 'WO-1001', oper_id: 'OP20', seq_no: 0 }; // running on Filler 1
    const before = await job(key);
    const historyBefore = await history(key);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const commit = Math.random() < 0.5;
        const qty = i + 1;
        // Opening waits for the write lock (SQLite): retry on 503 as a client would.
        let transId: string | undefined;
        for (let attempt = 0; transId === undefined && attempt < 50; attempt++) {
          const res = await call(`${v3}/transaction`, { method: 'POST', token: operator });
          if (res.status === 200) transId = res.body.trans_id as string;
          else {
            expect(res.status).toBe(503);
            await new Promise((r) => setTimeout(r, 20));
          }
        }
        expect(transId).toBeDefined();
        const posted = await call(`${v3}/Production/ByJob`, {
          method: 'POST',
          token: operator,
          headers: inTx(transId as string),
          body: { ...key, qty_prod: qty },
        });
        expect(posted.status).toBe(200);
        const ended = await end(operator, transId as string, commit ? 'commit' : 'rollback');
        expect(ended.status).toBe(200);
        return commit ? qty : 0;
      }),
    );
    const committed = outcomes.filter((q) => q > 0);
    const after = await job(key);
    expect(after.qty_prod).toBe(before.qty_prod + committed.reduce((a, b) => a + b, 0));
    expect(await history(key)).toBe(historyBefore + committed.length);
  }, 60_000);
});

describe('MES transactions: limits and timeouts', () => {
  let authority: TestAuthority;
  let api: RunningApi;
  let operator: string;
  let v3: string;

  beforeAll(async () => {
    authority = await TestAuthority.start();
    api = await startApi({
      env: {
        AIM_AUTHORITY: authority.issuer,
        MES_TRANSACTION_TIMEOUT_S: '1',
        MES_TRANSACTION_MAX_S: '2',
        MES_TRANSACTION_MAX_OPEN: '1',
        DB_WRITE_WAIT_MS: '200',
      },
    });
    operator = await authority.userToken(OPERATOR);
    v3 = `${api.base}/api/v3`;
  });

  afterAll(async () => {
    await api?.close();
    await authority?.stop();
  });

  const attr = async (): Promise<string> =>
    (
      await api.app
        .get(DataSource)
        .query<{ attr_value: string }[]>('SELECT attr_value FROM system_attr WHERE attr_id = 110')
    )[0].attr_value;

  it('an idle transaction is rolled back after MES_TRANSACTION_TIMEOUT_S: 404 and nothing kept', async () => {
    const supervisor = await authority.userToken(SUPERVISOR);
    const before = await attr();
    const opened = await call(`${v3}/transaction`, { method: 'POST', token: supervisor });
    const transId = opened.body.trans_id as string;
    const set = await call(`${v3}/systemAttribute/110`, {
      method: 'PUT',
      token: supervisor,
      headers: { trans_id: transId },
      body: { attr_value: 'kept?' },
    });
    expect(set.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_500));
    const late = await call(`${v3}/systemAttribute/110`, {
      token: supervisor,
      headers: { trans_id: transId },
    });
    expect(late.status).toBe(404);
    expect(late.body.detail).toMatch(NOT_FOUND);
    expect(await attr()).toBe(before);
    const health = await call(`${api.base}/health/details`, { token: operator });
    expect(health.body.transactions).toMatchObject({ open: 0 });
  });

  it('a busy transaction is still rolled back after MES_TRANSACTION_MAX_S in all', async () => {
    const opened = await call(`${v3}/transaction`, { method: 'POST', token: operator });
    const transId = opened.body.trans_id as string;
    const deadline = Date.now() + 3_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (
        await call(`${v3}/systemAttribute/199`, { token: operator, headers: { trans_id: transId } })
      ).status;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(404);
  });

  it('at most MES_TRANSACTION_MAX_OPEN are open: then 503 with Retry-After', async () => {
    const first = await call(`${v3}/transaction`, { method: 'POST', token: operator });
    expect(first.status).toBe(200);
    const health = await call(`${api.base}/health/details`, { token: operator });
    expect(health.body.transactions).toMatchObject({ open: 1 });
    const second = await call(`${v3}/transaction`, { method: 'POST', token: operator });
    expect(second.status).toBe(503);
    expect(second.body.code).toBe('TRANSACTION_LIMIT');
    expect(second.headers.get('retry-after')).toBe('5');
    const rolledBack = await call(`${v3}/transaction?action=rollback`, {
      method: 'PUT',
      token: operator,
      headers: { trans_id: first.body.trans_id as string },
    });
    expect(rolledBack.status).toBe(200);
    const third = await call(`${v3}/transaction`, { method: 'POST', token: operator });
    expect(third.status).toBe(200);
    await call(`${v3}/transaction?action=rollback`, {
      method: 'PUT',
      token: operator,
      headers: { trans_id: third.body.trans_id as string },
    });
  });
});
