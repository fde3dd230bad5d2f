import { call, RunningApi, startApi } from '../support/api';
import { serviceToken, userToken } from '../support/tokens';
import {
  BACKGROUND_USER,
  NOT_FOUND,
  OPERATOR,
  SQL_FRAGMENT,
  SUPERVISOR,
} from './master-data.fixtures';

/** MES users (FactMES.API.Core.UserName.GetAll / GetByKey), read only, over HTTP. */
describe('users (api/v3/userName)', () => {
  let api: RunningApi;
  let operator: string;
  let service: string;

  const url = (path = '') => `${api.base}/api/v3/userName${path}`;
  const CREDENTIAL = /pass|pwd|salt|hash|secret/i;

  beforeAll(async () => {
    api = await startApi();
    [operator, service] = await Promise.all([userToken(OPERATOR), serviceToken()]);
  });
  afterAll(() => api.close());

  it('needs a token', async () => {
    expect((await call(url())).status).toBe(401);
  });

  it('GetAll lists every user, active or not, with no credential member', async () => {
    const res = await call(url(), { token: operator });
    expect(res.status).toBe(200);
    expect(
      res.body.map((u: { user_id: string; active: boolean }) => [u.user_id, u.active]),
    ).toEqual([
      [BACKGROUND_USER, true],
      ['mes\\former', false],
      [OPERATOR, true],
      [SUPERVISOR, true],
    ]);
    expect(res.body[2]).toEqual({
      user_id: OPERATOR,
      user_desc: 'Demo operator',
      active: true,
      email_address: null,
      lang_id: null,
      auth_method: 1,
      last_login_utc: null,
      spare1: null,
      spare2: null,
      spare3: null,
      spare4: null,
      last_edit_comment: null,
      last_edit_by: 'system',
      last_edit_at_utc: expect.stringMatching(/Z$/),
      mod_id: null,
    });
    for (const user of res.body as Record<string, unknown>[]) {
      expect(Object.keys(user).filter((k) => CREDENTIAL.test(k))).toEqual([]);
    }
  });

  it('GetAll honours max_rows (query or header) and tz_id', async () => {
    const res = await call(url('?max_rows=2&tz_id=Europe/Berlin'), { token: service });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(2);
    expect(res.body[0]).toHaveProperty('last_edit_at_local');
    expect(res.body[0].last_login_local).toBeNull();
    const header = await call(url(), { token: service, headers: { max_rows: '1' } });
    expect(header.body).toHaveLength(1);
    for (const q of ['max_rows=0', 'max_rows=x', 'tz_id=Not/AZone', 'userId=x']) {
      const bad = await call(url(`?${q}`), { token: service });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('GetByKey returns one user (domain\\user ids, case-insensitive key)', async () => {
    const res = await call(url(`/key?userId=${encodeURIComponent('MES\\Supervisor')}`), {
      token: operator,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: SUPERVISOR, active: true, auth_method: 1 });
    expect(Object.keys(res.body).filter((k) => CREDENTIAL.test(k))).toEqual([]);
    const bg = await call(url(`/key?userId=${encodeURIComponent(BACKGROUND_USER)}`), {
      token: operator,
    });
    expect(bg.body.user_id).toBe(BACKGROUND_USER);
  });

  it('GetByKey: unknown 404, hostile ids 400, missing id 404', async () => {
    const missing = await call(url('/key?userId=nobody'), { token: operator });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'ENTITY_NOT_FOUND', detail: NOT_FOUND });
    for (const value of [SQL_FRAGMENT, 'x'.repeat(41), "admin' --"]) {
      const res = await call(url(`/key?userId=${encodeURIComponent(value)}`), { token: operator });
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain('userId must be');
    }
    const none = await call(url('/key'), { token: operator });
    expect(none.status).toBe(404);
    expect(none.body.detail).toBe('The required parameter userId is missing.');
  });

  it('is read only: writes are a 405 with Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await call(url(), {
        method,
        token: operator,
        body: method === 'DELETE' ? undefined : {},
      });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
    }
  });
});
