import Database from 'better-sqlite3';
import { call, RunningApi, startApi } from '../support/api';
import { TestAuthority } from '../support/test-authority';
import { holdWriteLock, integrityCheck } from './fault-support';

/*
 * Another process holds the SQLite write lock (a hung writer) longer than the API's busy timeout:
 * reads keep working, writes answer 503 DATABASE_UNAVAILABLE with a clear body and Retry-After,
 * nothing is half written, and once the lock is gone the same writes succeed and the file is
 * intact.
 */

describe('faults: SQLite database locked by another writer', () => {
  let authority: TestAuthority;
  let api: RunningApi;
  let token: string;

  beforeAll(async () => {
    authority = await TestAuthority.start();
    api = await startApi({ env: { AIM_AUTHORITY: authority.issuer } });
    token = await authority.userToken('mes\\supervisor');
  });

  afterAll(async () => {
    await api?.close();
    await authority?.stop();
  });

  const row = (sql: string, ...params: unknown[]): unknown => {
    const db = new Database(api.dbPath, { readonly: true });
    try {
      return db.prepare(sql).get(...params);
    } finally {
      db.close();
    }
  };
  const job = { wo_id: 'WO-1001', oper_id: 'OP30', seq_no: 0 };
  const jobRow = (): unknown =>
    row(
      'SELECT state_cd, run_ent_id, act_start_time_utc, last_edit_at FROM job WHERE wo_id = ? AND oper_id = ? AND seq_no = ?',
      job.wo_id,
      job.oper_id,
      job.seq_no,
    );
  const attrRow = (): unknown =>
    row('SELECT attr_value, last_edit_by, last_edit_at FROM system_attr WHERE attr_id = 100');
  const busyBody = (instance: string): unknown => ({
    type: 'urn:mes-web-api:problem:database_unavailable',
    title: 'Database unavailable',
    status: 503,
    code: 'DATABASE_UNAVAILABLE',
    detail: 'The database is busy; try the request again.',
    instance,
    request_id: expect.any(String),
  });

  it('reads work, writes answer 503 and change nothing, then succeed once the lock is gone', async () => {
    const jobBefore = jobRow();
    const attrBefore = attrRow();
    const lock = holdWriteLock(api.dbPath, 45_000);
    try {
      await lock.locked;

      const read = await call(`${api.base}/api/v3/systemAttribute/100`, { token });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ attr_id: 100, attr_value: 'Demo Site' });
      const entity = await call(`${api.base}/api/v3/entity/key?entId=6`, { token });
      expect(entity.status).toBe(200);

      const attrWrite = await call(`${api.base}/api/v3/systemAttribute/100`, {
        method: 'PUT',
        token,
        body: { attr_value: 'Locked Site' },
      });
      expect(attrWrite.status).toBe(503);
      expect(attrWrite.headers.get('retry-after')).toBe('1');
      expect(attrWrite.headers.get('content-type')).toContain('application/problem+json');
      expect(attrWrite.body).toEqual(busyBody('/mesmw/api/v3/systemAttribute/100'));

      const start = await call(`${api.base}/api/v3/Jobs/Start`, {
        method: 'PUT',
        token,
        body: { ...job, ent_id: 6, run_ent_id: 6 },
      });
      expect(start.status).toBe(503);
      expect(start.headers.get('retry-after')).toBe('1');
      expect(start.body).toEqual(busyBody('/mesmw/api/v3/Jobs/Start'));
      expect(start.text).not.toMatch(/UPDATE|SELECT|SQLITE_|locked/);

      // Reads still answer while the lock is held.
      expect((await call(`${api.base}/api/v3/systemAttribute/199`, { token })).status).toBe(200);
    } finally {
      await lock.release();
    }

    expect(jobRow()).toEqual(jobBefore);
    expect(attrRow()).toEqual(attrBefore);
    expect(integrityCheck(api.dbPath)).toBe('ok');

    // Recovered without a restart.
    const attrWrite = await call(`${api.base}/api/v3/systemAttribute/100`, {
      method: 'PUT',
      token,
      body: { attr_value: 'Recovered Site' },
    });
    expect(attrWrite.status).toBe(200);
    const start = await call(`${api.base}/api/v3/Jobs/Start`, {
      method: 'PUT',
      token,
      body: { ...job, ent_id: 6, run_ent_id: 6 },
    });
    expect(start.status).toBe(200);
    expect(jobRow()).toMatchObject({ state_cd: 3, run_ent_id: 6 });
    expect(integrityCheck(api.dbPath)).toBe('ok');
  }, 55_000);
});
