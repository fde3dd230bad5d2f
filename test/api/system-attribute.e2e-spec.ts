import { DataSource } from 'typeorm';
import { call, RunningApi, startApi } from '../support/api';
import { serviceToken, userToken } from '../support/tokens';

/** System attributes over HTTP: attribute 199 drives who service-to-service calls act as. */
describe('system attributes and the background user over HTTP', () => {
  let api: RunningApi;
  let supervisor: string;
  let operator: string;
  let service: string;

  const attr = (id: number | string, v1 = false) =>
    `${api.base}/api/${v1 ? '' : 'v3/'}systemAttribute/${id}`;
  const row199 = () =>
    api.app
      .get(DataSource)
      .query<{ attr_value: string; last_edit_by: string | null }[]>(
        'select attr_value, last_edit_by from system_attr where attr_id = 199',
      )
      .then((rows) => rows[0]);

  beforeAll(async () => {
    api = await startApi();
    [supervisor, operator, service] = await Promise.all([
      userToken('mes\\supervisor'),
      userToken('mes\\operator'),
      serviceToken(),
    ]);
  });
  afterAll(() => api.close());

  afterEach(async () => {
    // Back to the demo value, through the API as a user would.
    const res = await call(attr(199), {
      method: 'PUT',
      token: supervisor,
      body: { attr_value: 'Default Background User' },
    });
    expect(res.status).toBe(200);
  });

  it('reads attribute 199 through the V3 and the V1 route', async () => {
    for (const url of [attr(199), attr(199, true)]) {
      const res = await call(url, { token: operator });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        attr_id: 199,
        attr_desc: 'User ID for background tasks',
        attr_value: 'Default Background User',
      });
    }
  });

  it('answers 404 with the MES message for an unknown attribute, 400 for a non-numeric id', async () => {
    const missing = await call(attr(987654), { token: operator });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe('The specified entity does not exist');
    const bad = await call(attr('abc'), { token: operator });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/attrId/);
  });

  it('a change through the API is stamped and the very next service call acts as the new user', async () => {
    const before = await call(`${api.base}/health/details`, { token: operator });
    expect(before.body.background_user.configuredUserId).toBe('Default Background User');

    const res = await call(attr(199), {
      method: 'PUT',
      token: supervisor,
      body: { attr_value: 'mes\\supervisor' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      attr_value: 'mes\\supervisor',
      last_edit_by: 'mes\\supervisor',
    });
    expect(Date.parse(res.body.last_edit_at_utc)).toBeGreaterThan(Date.now() - 60_000);

    // The service token now runs as mes\supervisor, who may change attributes: its own write
    // is stamped with the background user it acts as.
    const asService = await call(attr(199), {
      method: 'PUT',
      token: service,
      body: { attr_value: 'mes\\operator' },
    });
    expect(asService.status).toBe(200);
    expect(asService.body).toMatchObject({
      attr_value: 'mes\\operator',
      last_edit_by: 'mes\\supervisor',
    });
    await expect(row199()).resolves.toEqual({
      attr_value: 'mes\\operator',
      last_edit_by: 'mes\\supervisor',
    });

    // Now it acts as mes\operator, who may not: 403.
    const refused = await call(attr(199), {
      method: 'PUT',
      token: service,
      body: { attr_value: 'Default Background User' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('PRIVILEGE_MISSING');
    expect(refused.body.detail).toContain('mes\\operator');
  });

  it('a service call acts as the default background user (a Supervisor in the demo data) and stamps it', async () => {
    const res = await call(attr(199), {
      method: 'PUT',
      token: service,
      body: { attr_value: 'Default Background User' },
    });
    expect(res.status).toBe(200);
    await expect(row199()).resolves.toEqual({
      attr_value: 'Default Background User',
      last_edit_by: 'Default Background User',
    });
  });

  it('an operator may not change attributes: 403 and nothing written', async () => {
    const res = await call(attr(199), {
      method: 'PUT',
      token: operator,
      body: { attr_value: 'mes\\operator' },
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'PRIVILEGE_MISSING', status: 403 });
    await expect(row199()).resolves.toMatchObject({ attr_value: 'Default Background User' });
  });

  it.each([
    [{ attr_value: 'nobody' }, /does not exist/],
    [{ attr_value: 'mes\\former' }, /is not active/],
    [{ attr_value: '' }, /cannot be empty/],
    [{ attr_value: 42 }, /attr_value/],
    [{ attr_value: 'x'.repeat(81) }, /attr_value/],
    [{ attr_value: "x'; drop table user_name; --" }, /does not exist/],
    [{ attr_value: 'mes\\operator', extra: 1 }, /extra/],
    [{}, /attr_value/],
  ])('refuses %j with 400, names the problem, and writes nothing', async (body, message) => {
    const res = await call(attr(199), { method: 'PUT', token: supervisor, body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toMatch(message);
    await expect(row199()).resolves.toEqual({
      attr_value: 'Default Background User',
      last_edit_by: expect.anything(),
    });
    const users = await api.app
      .get(DataSource)
      .query<{ n: number }[]>('select count(*) as n from user_name');
    expect(users[0].n).toBeGreaterThanOrEqual(4);
  });

  it('refuses malformed JSON with a 400 problem body', async () => {
    const res = await call(attr(199), {
      method: 'PUT',
      token: supervisor,
      body: '{"attr_value": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MALFORMED_BODY');
  });
});
