import { DataSource } from 'typeorm';
import { call, RunningApi, startApi } from '../support/api';
import { userToken } from '../support/tokens';

/**
 * Shift schedules and patterns over HTTP, with real tokens and the demo database. Their MES
 * methods are excluded from the Swagger file (see test/mes-swagger), but the API serves them.
 */
describe('shift schedules and shift patterns (api/v3/shiftSchedule, api/v3/shiftPattern)', () => {
  let api: RunningApi;
  let supervisor: string;
  let operator: string;

  const sched = (query = '') => `${api.base}/api/v3/shiftSchedule${query}`;
  const pattern = (query = '') => `${api.base}/api/v3/shiftPattern${query}`;
  const db = () => api.app.get(DataSource);
  const schedRows = () =>
    db().query<Record<string, unknown>[]>('select * from shift_sched order by shift_sched_id');
  const patternRows = () =>
    db().query<Record<string, unknown>[]>('select * from shift_pattern order by pattern_id');

  const newShift = {
    ent_id: 3,
    pattern_id: 1,
    shift_id: 3,
    shift_name: 'Night',
    start_offset_min: 1320,
    duration_min: 480,
    days_mask: 31,
    last_edit_comment: 'added by the e2e suite',
  };

  beforeAll(async () => {
    api = await startApi();
    [supervisor, operator] = await Promise.all([
      userToken('mes\\supervisor'),
      userToken('mes\\operator'),
    ]);
  });
  afterAll(() => api.close());

  describe('reads', () => {
    it('needs a token (401 with WWW-Authenticate)', async () => {
      for (const url of [sched(), sched('/key?shiftSchedId=1'), pattern()]) {
        const res = await call(url);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    });

    it('GetAll lists the demo schedules (snake_case, last_edit_at_utc) for an operator', async () => {
      const res = await call(sched(), { token: operator });
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(5);
      expect(res.body[0]).toEqual({
        shift_sched_id: 1,
        ent_id: 3,
        pattern_id: 1,
        shift_id: 1,
        shift_name: 'Day',
        start_offset_min: 360,
        duration_min: 480,
        days_mask: 31,
        last_edit_comment: null,
        last_edit_by: 'system',
        last_edit_at_utc: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
    });

    it('GetAll filters by entId and patternId, honours max_rows and tz_id', async () => {
      const byEnt = await call(sched('?entId=3'), { token: operator });
      expect(byEnt.body.map((r: { shift_name: string }) => r.shift_name)).toEqual(['Day', 'Late']);
      const byPattern = await call(sched('?patternId=2'), { token: operator });
      expect(byPattern.body.map((r: { ent_id: number }) => r.ent_id)).toEqual([4, 4, 4]);
      const limited = await call(sched('?max_rows=2'), { token: operator });
      expect(limited.body).toHaveLength(2);
      const local = await call(sched('?entId=4'), {
        token: operator,
        headers: { tz_id: 'Europe/Berlin' },
      });
      expect(local.body[0]).toHaveProperty('last_edit_at_local');
      const none = await call(sched('?entId=7'), { token: operator });
      expect(none.status).toBe(204);
      expect(none.text).toBe('');
    });

    it.each<[string, RegExp]>([
      ['?entId=abc', /entId must not be less than 1|entId must be an integer/],
      ['?entId=0', /entId must be an integer from 1/],
      ['?bogus=1', /property bogus should not exist/],
      ['?max_rows=0', /max_rows must be an integer/],
    ])('GetAll refuses %s with 400 naming the parameter', async (query, detail) => {
      const res = await call(sched(query), { token: operator });
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(detail);
    });

    it('GetByKey: 200, 404 (unknown, with the MES message), 404 (missing parameter), 400 (not a number)', async () => {
      const ok = await call(sched('/key?shiftSchedId=3'), { token: operator });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ shift_sched_id: 3, ent_id: 4, shift_name: 'Night' });
      const unknown = await call(sched('/key?shiftSchedId=999999'), { token: operator });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({
        code: 'ENTITY_NOT_FOUND',
        detail: 'The specified entity does not exist',
      });
      const missing = await call(sched('/key'), { token: operator });
      expect(missing.status).toBe(404);
      expect(missing.body.detail).toBe('The required parameter shiftSchedId is missing.');
      const bad = await call(sched("/key?shiftSchedId=1'%20or%201=1"), { token: operator });
      expect(bad.status).toBe(400);
      expect(bad.body.detail).toMatch(/shiftSchedId must be an integer/);
    });

    it('hides schedules on entities the caller may not access (404 with the MES message)', async () => {
      // Quality Lab (8) cannot be used by the Operators group (accss 0); test data written directly.
      await db().query(
        `insert into shift_sched (ent_id, shift_id, shift_name, start_offset_min, duration_min, days_mask, last_edit_by)
         values (8, 1, 'Lab day', 480, 480, 31, 'e2e')`,
      );
      const [{ id }] = await db().query<{ id: number }[]>(
        `select shift_sched_id as id from shift_sched where ent_id = 8`,
      );
      try {
        const denied = await call(sched(`/key?shiftSchedId=${id}`), { token: operator });
        expect(denied.status).toBe(404);
        expect(denied.body).toMatchObject({
          code: 'ENTITY_ACCESS_DENIED',
          detail: 'You do not have the appropriate privileges to access this entity',
        });
        const list = await call(sched(), { token: operator });
        expect(list.body.map((r: { ent_id: number }) => r.ent_id)).not.toContain(8);
        const asSupervisor = await call(sched(`/key?shiftSchedId=${id}`), { token: supervisor });
        expect(asSupervisor.status).toBe(200);
        const byEnt = await call(sched('?entId=8'), { token: operator });
        expect(byEnt.status).toBe(204);
      } finally {
        await db().query('delete from shift_sched where ent_id = 8');
      }
    });
  });

  describe('ShiftSchedule writes', () => {
    it('Add: 403 for an operator (no edit-master-data privilege), nothing written', async () => {
      const before = await schedRows();
      const res = await call(sched(), { method: 'POST', token: operator, body: newShift });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'PRIVILEGE_MISSING' });
      expect(res.body.detail).toContain('mes\\operator');
      expect(await schedRows()).toEqual(before);
    });

    it('Add, Update, Delete as a supervisor, each stamped with the acting user', async () => {
      const started = Date.now() - 1000;
      const added = await call(sched(), { method: 'POST', token: supervisor, body: newShift });
      expect(added.status).toBe(200);
      expect(added.body).toMatchObject({
        ...newShift,
        shift_sched_id: expect.any(Number),
        last_edit_by: 'mes\\supervisor',
      });
      expect(Date.parse(added.body.last_edit_at_utc)).toBeGreaterThanOrEqual(started - 1000);
      const id = added.body.shift_sched_id as number;
      const [stored] = await db().query<Record<string, unknown>[]>(
        'select * from shift_sched where shift_sched_id = ?',
        [id],
      );
      expect(stored).toMatchObject({ shift_name: 'Night', last_edit_by: 'mes\\supervisor' });

      const updated = await call(sched(`?shiftSchedId=${id}`), {
        method: 'PUT',
        token: supervisor,
        body: { ...newShift, shift_sched_id: id, shift_name: 'Night (short)', duration_min: 360 },
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        shift_sched_id: id,
        shift_name: 'Night (short)',
        duration_min: 360,
        last_edit_by: 'mes\\supervisor',
      });
      const read = await call(sched(`/key?shiftSchedId=${id}`), { token: operator });
      expect(read.body.shift_name).toBe('Night (short)');

      const operatorDelete = await call(sched(`?shiftSchedId=${id}`), {
        method: 'DELETE',
        token: operator,
      });
      expect(operatorDelete.status).toBe(403);
      expect((await call(sched(`/key?shiftSchedId=${id}`), { token: operator })).status).toBe(200);

      const deleted = await call(sched(`?shiftSchedId=${id}`), {
        method: 'DELETE',
        token: supervisor,
      });
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect((await call(sched(`/key?shiftSchedId=${id}`), { token: operator })).status).toBe(404);
      const again = await call(sched(`?shiftSchedId=${id}`), {
        method: 'DELETE',
        token: supervisor,
      });
      expect(again.status).toBe(404);
      expect(again.body.detail).toBe('The specified entity does not exist');
    });

    it.each<[string, unknown, number, RegExp]>([
      ['a missing ent_id', { ...newShift, ent_id: undefined }, 400, /ent_id/],
      ['a start after 23:59', { ...newShift, start_offset_min: 1440 }, 400, /start_offset_min/],
      ['a zero duration', { ...newShift, duration_min: 0 }, 400, /duration_min/],
      ['no weekday', { ...newShift, days_mask: 0 }, 400, /days_mask/],
      ['days_mask 128', { ...newShift, days_mask: 128 }, 400, /days_mask/],
      ['a blank shift_name', { ...newShift, shift_name: '  ' }, 400, /shift_name/],
      [
        'a control character in shift_name',
        { ...newShift, shift_name: 'Ni\u0000ght' },
        400,
        /shift_name/,
      ],
      ['a 41-character shift_name', { ...newShift, shift_name: 'x'.repeat(41) }, 400, /shift_name/],
      ['a word as ent_id', { ...newShift, ent_id: 'three' }, 400, /ent_id/],
      [
        'an unknown property',
        { ...newShift, ent_name: 'Line 1' },
        400,
        /property ent_name should not exist/,
      ],
      [
        'an unknown entity',
        { ...newShift, ent_id: 987654 },
        404,
        /^The specified entity does not exist$/,
      ],
      [
        'an entity that cannot schedule shifts',
        { ...newShift, ent_id: 5 },
        409,
        /cannot schedule shifts/,
      ],
      [
        'an unknown pattern',
        { ...newShift, pattern_id: 99 },
        409,
        /shift pattern 99 does not exist/,
      ],
      [
        'a shift_id the entity already has',
        { ...newShift, shift_id: 1 },
        409,
        /already has a shift with shift_id 1/,
      ],
    ])('Add refuses %s (status and body), nothing written', async (_name, body, status, detail) => {
      const before = await schedRows();
      const res = await call(sched(), { method: 'POST', token: supervisor, body });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body.detail).toMatch(detail);
      expect(res.text).not.toMatch(/SELECT|INSERT|SQLITE/i);
      expect(await schedRows()).toEqual(before);
    });

    it('Add refuses a malformed JSON body with 400', async () => {
      const before = await schedRows();
      const res = await call(sched(), { method: 'POST', token: supervisor, body: '{"ent_id": 3,' });
      expect(res.status).toBe(400);
      expect(res.body.status).toBe(400);
      expect(await schedRows()).toEqual(before);
    });

    it('Update: 404 unknown, 400 key mismatch, 409 duplicate shift_id, 404 missing key; nothing written', async () => {
      const before = await schedRows();
      const unknown = await call(sched('?shiftSchedId=999999'), {
        method: 'PUT',
        token: supervisor,
        body: newShift,
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.detail).toBe('The specified entity does not exist');
      const mismatch = await call(sched('?shiftSchedId=1'), {
        method: 'PUT',
        token: supervisor,
        body: { ...newShift, shift_sched_id: 2 },
      });
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.detail).toMatch(/shift_sched_id in the body must be the shiftSchedId/);
      const duplicate = await call(sched('?shiftSchedId=1'), {
        method: 'PUT',
        token: supervisor,
        body: { ...newShift, shift_id: 2 },
      });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.detail).toBe('Entity 3 already has a shift with shift_id 2.');
      const noKey = await call(sched(), { method: 'PUT', token: supervisor, body: newShift });
      expect(noKey.status).toBe(404);
      expect(noKey.body.detail).toBe('The required parameter shiftSchedId is missing.');
      const operatorPut = await call(sched('?shiftSchedId=1'), {
        method: 'PUT',
        token: operator,
        body: newShift,
      });
      expect(operatorPut.status).toBe(403);
      expect(await schedRows()).toEqual(before);
    });

    it('answers 405 with Allow for a verb the resource does not have', async () => {
      const res = await call(sched(), { method: 'PATCH', token: supervisor, body: {} });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toMatch(/GET/);
    });
  });

  describe('ShiftPattern', () => {
    it('GetAll lists the demo patterns; unknown parameters are a 400', async () => {
      const res = await call(pattern(), { token: operator });
      expect(res.status).toBe(200);
      expect(res.body).toEqual([
        expect.objectContaining({
          pattern_id: 1,
          pattern_name: 'Two shifts',
          last_edit_by: 'system',
        }),
        expect.objectContaining({ pattern_id: 2, pattern_name: 'Around the clock' }),
      ]);
      expect((await call(pattern('?max_rows=1'), { token: operator })).body).toHaveLength(1);
      const bad = await call(pattern('?patternId=1'), { token: operator });
      expect(bad.status).toBe(400);
      expect(bad.body.detail).toBe('property patternId should not exist');
    });

    it('Add (next id or given id) and Update as a supervisor, stamped; 403 for an operator', async () => {
      const before = await patternRows();
      const denied = await call(pattern(), {
        method: 'POST',
        token: operator,
        body: { pattern_name: 'Weekend' },
      });
      expect(denied.status).toBe(403);
      expect(await patternRows()).toEqual(before);

      const added = await call(pattern(), {
        method: 'POST',
        token: supervisor,
        body: { pattern_name: 'Weekend', pattern_desc: 'Saturday and Sunday' },
      });
      expect(added.status).toBe(200);
      expect(added.body).toMatchObject({
        pattern_id: 3,
        pattern_name: 'Weekend',
        pattern_desc: 'Saturday and Sunday',
        last_edit_by: 'mes\\supervisor',
      });
      const given = await call(pattern(), {
        method: 'POST',
        token: supervisor,
        body: { pattern_id: 40, pattern_name: 'Four crews' },
      });
      expect(given.status).toBe(200);
      expect(given.body.pattern_id).toBe(40);

      const updated = await call(pattern('?patternId=3'), {
        method: 'PUT',
        token: supervisor,
        body: { pattern_name: 'Weekend shifts', last_edit_comment: 'renamed' },
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        pattern_id: 3,
        pattern_name: 'Weekend shifts',
        pattern_desc: null,
        last_edit_comment: 'renamed',
        last_edit_by: 'mes\\supervisor',
      });
      const [row] = await db().query<Record<string, unknown>[]>(
        'select pattern_name, last_edit_by from shift_pattern where pattern_id = 3',
      );
      expect(row).toEqual({ pattern_name: 'Weekend shifts', last_edit_by: 'mes\\supervisor' });
    });

    it.each<[string, string, string, unknown, number, RegExp]>([
      [
        'a duplicate name',
        'POST',
        '',
        { pattern_name: 'Two shifts' },
        409,
        /named "Two shifts" already exists/,
      ],
      [
        'a duplicate id',
        'POST',
        '',
        { pattern_id: 1, pattern_name: 'Other' },
        409,
        /pattern_id 1 already exists/,
      ],
      ['a blank name', 'POST', '', { pattern_name: '' }, 400, /pattern_name/],
      ['a name too long', 'POST', '', { pattern_name: 'p'.repeat(41) }, 400, /pattern_name/],
      ['a negative id', 'POST', '', { pattern_id: -1, pattern_name: 'Neg' }, 400, /pattern_id/],
      [
        'an unknown property',
        'POST',
        '',
        { pattern_name: 'X', shift_id: 1 },
        400,
        /property shift_id should not exist/,
      ],
      [
        'Update of an unknown pattern',
        'PUT',
        '?patternId=999',
        { pattern_name: 'X' },
        404,
        /^The specified entity does not exist$/,
      ],
      [
        'Update to a name in use',
        'PUT',
        '?patternId=1',
        { pattern_name: 'Around the clock' },
        409,
        /already exists/,
      ],
      [
        'Update with another pattern_id in the body',
        'PUT',
        '?patternId=1',
        { pattern_id: 2, pattern_name: 'X' },
        400,
        /pattern_id in the body/,
      ],
      [
        'Update without patternId',
        'PUT',
        '',
        { pattern_name: 'X' },
        404,
        /required parameter patternId is missing/,
      ],
    ])(
      'refuses %s (status and body), nothing written',
      async (_n, method, query, body, status, detail) => {
        const before = await patternRows();
        const res = await call(pattern(query), { method, token: supervisor, body });
        expect(res.status).toBe(status);
        expect(res.body.detail).toMatch(detail);
        expect(await patternRows()).toEqual(before);
      },
    );
  });
});
