import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { call, RunningApi, startApi } from '../support/api';
import { serviceToken, userToken } from '../support/tokens';

/*
 * DirectAccess on SQLite: named procedures are the SQL files of DIRECT_ACCESS_DIR (the demo
 * procedures by default), called with bound parameters, behind the "Direct database access"
 * privilege; a GET never writes.
 */

describe('DirectAccess (api/v3/DirectAccess, api/DirectAccess) on SQLite procedure files', () => {
  let api: RunningApi;
  let supervisor: string;
  let operator: string;
  let service: string;

  beforeAll(async () => {
    api = await startApi();
    [supervisor, operator, service] = await Promise.all([
      userToken('mes\\supervisor'),
      userToken('mes\\operator'),
      serviceToken(),
    ]);
  });
  afterAll(() => api.close());

  const get = (name: string, params?: unknown, token = supervisor, extra = '') =>
    call(
      `${api.base}/api/v3/DirectAccess?spName=${encodeURIComponent(name)}${
        params === undefined
          ? ''
          : `&spParams=${encodeURIComponent(typeof params === 'string' ? params : JSON.stringify(params))}`
      }${extra}`,
      { token },
    );
  const post = (
    name: string,
    body: unknown,
    token = supervisor,
    headers: Record<string, string> = {},
  ) =>
    call(`${api.base}/api/v3/DirectAccess?spName=${encodeURIComponent(name)}`, {
      method: 'POST',
      token,
      body,
      headers,
    });
  const db = () => api.app.get(DataSource);
  const priority = async (): Promise<number> =>
    (
      await db().query<{ job_priority: number }[]>(
        "SELECT job_priority FROM job WHERE wo_id = 'WO-1001' AND oper_id = 'OP30'",
      )
    )[0].job_priority;

  it('GET runs a read procedure and answers its rows as a JSON array (V3 and V1 routes)', async () => {
    const res = await get('sp_SA_job_queue', { ent_id: 5 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      expect.objectContaining({ wo_id: 'WO-1001', oper_id: 'OP20', state_cd: 3, qty_prod: 350 }),
    ]);
    const v1 = await call(
      `${api.base}/api/DirectAccess?spName=sp_SA_ent_children&spParams=${encodeURIComponent('{"ent_id": 3}')}`,
      { token: service },
    );
    expect(v1.status).toBe(200);
    expect(v1.body.map((e: { ent_name: string }) => e.ent_name)).toEqual(['Filler 1', 'Labeler 1']);
    const none = await get('sp_SA_ent_children', { ent_id: 5 });
    expect(none.status).toBe(200);
    expect(none.body).toEqual([]);
  });

  it('parameters: JSON types, numeric strings and 0/1 flags as .NET clients send; defaults; max_rows', async () => {
    const flagged = await get('sp_SA_ent_children', { ent_id: '2', can_run_jobs: 'true' });
    expect(flagged.status).toBe(200);
    expect(flagged.body).toEqual([]);
    const all = await get('sp_SA_ent_children', { ent_id: 1 });
    expect(all.body.map((e: { ent_name: string }) => e.ent_name)).toEqual([
      'Packaging Area',
      'Quality Lab',
    ]);
    const limited = await get('sp_SA_ent_children', { ent_id: 1 }, supervisor, '&max_rows=1');
    expect(limited.body).toHaveLength(1);
    const header = await call(
      `${api.base}/api/v3/DirectAccess?spName=sp_SA_ent_children&spParams=${encodeURIComponent('{"ent_id":1}')}`,
      { token: supervisor, headers: { max_rows: '1' } },
    );
    expect(header.body).toHaveLength(1);
  });

  it('POST runs a procedure in one transaction and answers result plus the output values', async () => {
    const res = await post('sp_U_job_priority', {
      wo_id: 'WO-1001',
      oper_id: 'OP30',
      job_priority: 7,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      result: 1,
      wo_id: 'WO-1001',
      oper_id: 'OP30',
      seq_no: 0,
      job_priority: 7,
    });
    expect(await priority()).toBe(7);
    const [stamp] = await db().query<{ last_edit_by: string }[]>(
      "SELECT last_edit_by FROM job WHERE wo_id = 'WO-1001' AND oper_id = 'OP30'",
    );
    expect(stamp.last_edit_by).toBe('mes\\supervisor');
    const byService = await post(
      'sp_U_job_priority',
      { wo_id: 'WO-1001', oper_id: 'OP30', job_priority: 2 },
      service,
    );
    expect(byService.status).toBe(200);
    const [serviceStamp] = await db().query<{ last_edit_by: string }[]>(
      "SELECT last_edit_by FROM job WHERE wo_id = 'WO-1001' AND oper_id = 'OP30'",
    );
    expect(serviceStamp.last_edit_by).toBe('Default Background User');
    const nothing = await post('sp_U_job_priority', {
      wo_id: 'NO-SUCH',
      oper_id: 'OP30',
      job_priority: 1,
    });
    expect(nothing.body).toEqual({ result: 0 });
  });

  it("keeps a read procedure's rows while the database is unchanged, never older than it", async () => {
    const first = await get('sp_SA_job_queue', { ent_id: 5 });
    expect((await get('sp_SA_job_queue', { ent_id: 5 })).body).toEqual(first.body);
    const before = (first.body as Array<{ job_priority: number }>)[0].job_priority;
    const changed = await post('sp_U_job_priority', {
      wo_id: 'WO-1001',
      oper_id: 'OP20',
      job_priority: before + 1,
    });
    expect(changed.status).toBe(200);
    expect((await get('sp_SA_job_queue', { ent_id: 5 })).body[0].job_priority).toBe(before + 1);
    // A change made outside the API's write path is seen at once as well.
    await db().query(
      "UPDATE job SET job_priority = ? WHERE wo_id = 'WO-1001' AND oper_id = 'OP20'",
      [before],
    );
    expect((await get('sp_SA_job_queue', { ent_id: 5 })).body[0].job_priority).toBe(before);
  });

  it('a procedure that writes is refused on GET with nothing written', async () => {
    const before = await priority();
    const res = await get('sp_U_job_priority', {
      wo_id: 'WO-1001',
      oper_id: 'OP30',
      job_priority: 99,
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe(
      'The procedure sp_U_job_priority changes the database: call it with POST. Nothing was run.',
    );
    expect(await priority()).toBe(before);
    const insert = await get('sp_I_shift_pattern', { pattern_name: 'Via GET' });
    expect(insert.status).toBe(400);
  });

  it('needs the "Direct database access" privilege: 403 otherwise, nothing run', async () => {
    const before = await priority();
    const read = await get('sp_SA_job_queue', { ent_id: 5 }, operator);
    expect(read.status).toBe(403);
    expect(read.body).toMatchObject({ code: 'PRIVILEGE_MISSING' });
    expect(read.body.detail).toContain('access the database directly');
    const write = await post(
      'sp_U_job_priority',
      { wo_id: 'WO-1001', oper_id: 'OP30', job_priority: 50 },
      operator,
    );
    expect(write.status).toBe(403);
    expect(await priority()).toBe(before);
    expect((await call(`${api.base}/api/v3/DirectAccess?spName=sp_SA_job_queue`)).status).toBe(401);
  });

  it.each([
    ['no spName', '', 404, 'The required parameter spName is missing.'],
    [
      'an unknown procedure',
      'spName=sp_nope',
      404,
      'The procedure "sp_nope" does not exist or is not offered through DirectAccess.',
    ],
    [
      'a system procedure name',
      'spName=sys.sp_executesql',
      404,
      'does not exist or is not offered',
    ],
    [
      'SQL as the name',
      `spName=${encodeURIComponent('sp_SA_job_queue; DROP TABLE job')}`,
      404,
      'does not exist or is not offered',
    ],
    [
      'bad JSON in spParams',
      `spName=sp_SA_job_queue&spParams=${encodeURIComponent('{ent_id: 5')}`,
      400,
      'spParams is not valid JSON',
    ],
    [
      'an array as spParams',
      `spName=sp_SA_job_queue&spParams=${encodeURIComponent('[5]')}`,
      400,
      'spParams must be a JSON object',
    ],
    [
      'a missing parameter',
      'spName=sp_SA_job_queue&spParams={}',
      404,
      'The required parameter ent_id of the procedure sp_SA_job_queue is missing.',
    ],
    [
      'an unknown parameter',
      `spName=sp_SA_job_queue&spParams=${encodeURIComponent('{"ent_id":5,"x":1}')}`,
      400,
      'x is not a parameter of the procedure sp_SA_job_queue',
    ],
    [
      'the built-in user parameter',
      `spName=sp_SA_job_queue&spParams=${encodeURIComponent('{"ent_id":5,"mes_user_id":"mes\\\\supervisor"}')}`,
      400,
      'mes_user_id is not a parameter',
    ],
    [
      'a type mismatch',
      `spName=sp_SA_job_queue&spParams=${encodeURIComponent('{"ent_id":"five"}')}`,
      400,
      'ent_id must be an integer',
    ],
    [
      'an unknown query parameter',
      'spName=sp_SA_job_queue&verbose=1',
      400,
      'property verbose should not exist',
    ],
  ])('GET with %s is a %p with a clear message', async (_, query, status, message) => {
    const res = await call(`${api.base}/api/v3/DirectAccess?${query}`, { token: supervisor });
    expect(res.status).toBe(status);
    expect(res.body.detail).toContain(message);
    expect(res.text).not.toMatch(/SELECT|SQLITE_/);
  });

  it('a procedure that fails inside answers its database message (409) and changes nothing', async () => {
    const count = async () =>
      (await db().query<{ n: number }[]>('SELECT COUNT(*) AS n FROM shift_pattern'))[0].n;
    const before = await count();
    const added = await post('sp_I_shift_pattern', { pattern_name: 'Weekend' });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ result: 1, pattern_id: expect.any(Number) });
    const dup = await post('sp_I_shift_pattern', { pattern_name: 'Weekend' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'BUSINESS_RULE' });
    expect(dup.body.detail).toContain('UNIQUE constraint failed: shift_pattern.pattern_name');
    expect(await count()).toBe(before + 1);
    const badBody = await post('sp_I_shift_pattern', [1, 2]);
    expect(badBody.status).toBe(400);
  });

  it('runs inside an MES transaction (trans_id): its writes are seen there, and only after commit elsewhere', async () => {
    const opened = await call(`${api.base}/api/v3/transaction`, {
      method: 'POST',
      token: supervisor,
    });
    const transId = opened.body.trans_id as string;
    const before = await priority();
    const set = await post(
      'sp_U_job_priority',
      { wo_id: 'WO-1001', oper_id: 'OP30', job_priority: 31 },
      supervisor,
      {
        trans_id: transId,
      },
    );
    expect(set.status).toBe(200);
    const inside = await call(
      `${api.base}/api/v3/DirectAccess?spName=sp_SA_job_queue&spParams=${encodeURIComponent('{"ent_id":6}')}&trans_id=${transId}`,
      { token: supervisor },
    );
    expect(inside.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ oper_id: 'OP30', job_priority: 31 })]),
    );
    expect(await priority()).toBe(before);
    await call(`${api.base}/api/v3/transaction?action=commit`, {
      method: 'PUT',
      token: supervisor,
      headers: { trans_id: transId },
    });
    expect(await priority()).toBe(31);
  });
});

describe('DirectAccess: the procedure directory and the allow-list', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mes-procedures-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves only the names DIRECT_ACCESS_ALLOW allows', async () => {
    const api = await startApi({ env: { DIRECT_ACCESS_ALLOW: 'sp_SA_*' } });
    try {
      const token = await userToken('mes\\supervisor');
      const read = await call(
        `${api.base}/api/v3/DirectAccess?spName=sp_SA_ent_children&spParams=${encodeURIComponent('{"ent_id":3}')}`,
        { token },
      );
      expect(read.status).toBe(200);
      const write = await call(`${api.base}/api/v3/DirectAccess?spName=sp_U_job_priority`, {
        method: 'POST',
        token,
        body: { wo_id: 'WO-1001', oper_id: 'OP30', job_priority: 1 },
      });
      expect(write.status).toBe(404);
    } finally {
      await api.close();
    }
  });

  it('a procedure file that cannot be read stops the start with a message naming the file', async () => {
    writeFileSync(join(dir, 'sp_bad.sql'), '-- @param x int\nSELECT :x, :y');
    await expect(startApi({ env: { DIRECT_ACCESS_DIR: dir } })).rejects.toThrow(
      /sp_bad\.sql: :y is used but not declared/,
    );
  });
});
