import { call, RunningApi, startApi } from '../support/api';
import { serviceToken, userToken } from '../support/tokens';
import {
  BACKGROUND_USER,
  expectRecentStamp,
  NOT_FOUND,
  ONE_MB,
  OPERATOR,
  rows,
  snapshot,
  SQL_FRAGMENT,
  SUPERVISOR,
} from './master-data.fixtures';

/** Work orders (FactMES.API.Prod.WO.*) over HTTP with real tokens on the demo database. */
describe('work orders (api/v3/wo)', () => {
  let api: RunningApi;
  let supervisor: string;
  let operator: string;
  let service: string;

  const url = (path = '') => `${api.base}/api/v3/wo${path}`;
  const woTable = () => snapshot(api, 'wo', 'wo_id');
  const woIds = (body: Array<{ wo_id: string }>) => body.map((w) => w.wo_id);
  const newWo = {
    wo_id: 'WO-1002',
    wo_desc: 'Second order',
    item_id: 'WIDGET-200',
    req_qty: 250.5,
    priority: 2,
    cust_info: 'ACME',
    release_time_utc: '2025-03-01T06:00:00Z',
    due_time_utc: '2025-03-03T08:30:00+02:00',
    notes: 'rush',
  };

  beforeAll(async () => {
    api = await startApi();
    [supervisor, operator, service] = await Promise.all([
      userToken(SUPERVISOR),
      userToken(OPERATOR),
      serviceToken(),
    ]);
  });
  afterAll(() => api.close());

  describe('reads', () => {
    it('need a token', async () => {
      expect((await call(url())).status).toBe(401);
    });

    it('GetAll lists the demo order with <col>_utc datetimes', async () => {
      const res = await call(url(), { token: operator });
      expect(res.status).toBe(200);
      expect(res.body).toEqual([
        {
          wo_id: 'WO-1001',
          wo_desc: 'Demo order for Widget 100',
          item_id: 'WIDGET-100',
          process_id: null,
          req_qty: 1000,
          priority: 1,
          cust_info: null,
          release_time_utc: expect.stringMatching(/Z$/),
          due_time_utc: expect.stringMatching(/Z$/),
          notes: null,
          last_edit_comment: null,
          last_edit_by: 'system',
          last_edit_at_utc: expect.stringMatching(/Z$/),
          mod_id: null,
        },
      ]);
    });

    it('GetByKey with tz_id adds the _local members; unknown zone 400; unknown order 404', async () => {
      const res = await call(url('/key?woId=WO-1001&tz_id=America/New_York'), { token: operator });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(
        expect.arrayContaining(['release_time_local', 'due_time_local', 'last_edit_at_local']),
      );
      const utc = new Date(res.body.release_time_utc as string).getTime();
      const local = new Date(`${res.body.release_time_local as string}Z`).getTime();
      expect([-4, -5].map((h) => h * 3_600_000)).toContain(local - utc);
      const badZone = await call(url('/key?woId=WO-1001'), {
        token: operator,
        headers: { tz_id: 'Atlantis' },
      });
      expect(badZone.status).toBe(400);
      expect(badZone.body.detail).toContain('tz_id');
      const missing = await call(url('/key?woId=WO-9'), { token: operator });
      expect(missing.status).toBe(404);
      expect(missing.body.detail).toBe(NOT_FOUND);
      const hostile = await call(url(`/key?woId=${encodeURIComponent(SQL_FRAGMENT)}`), {
        token: operator,
      });
      expect(hostile.status).toBe(400);
      expect(hostile.body.detail).toContain('woId must be');
    });

    it('GetByFilter matches the listed columns; 204 when none; hostile filters 400', async () => {
      const byItem = await call(url('/filter?itemId=WIDGET-100&priority=1'), { token: operator });
      expect(byItem.status).toBe(200);
      expect(woIds(byItem.body)).toEqual(['WO-1001']);
      const none = await call(url('/filter?itemId=RAW-STEEL'), { token: operator });
      expect(none.status).toBe(204);
      for (const [query, message] of [
        ['priority=-1', 'priority must be an integer from 0 to 32767'],
        ['priority=high', 'priority must be an integer'],
        [`itemId=${encodeURIComponent("' OR 1=1 --")}`, 'itemId must be 1 to 40 characters'],
        ['stateCd=3', 'property stateCd should not exist'],
      ]) {
        const res = await call(url(`/filter?${query}`), { token: operator });
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
      }
    });

    it('GetAll accepts only max_rows and tz_id', async () => {
      const res = await call(url('?itemId=WIDGET-100'), { token: operator });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        expect.stringContaining('property itemId should not exist'),
      ]);
    });

    it('a wrong verb is a 405 with Allow', async () => {
      const res = await call(url(), { method: 'DELETE', token: supervisor });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, POST, HEAD');
    });
  });

  describe('Add', () => {
    it('needs the edit-master-data privilege (operator 403, nothing written)', async () => {
      const before = await woTable();
      const res = await call(url(), { method: 'POST', token: operator, body: newWo });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('PRIVILEGE_MISSING');
      expect(await woTable()).toBe(before);
    });

    it('returns the created work order stamped with the supervisor; datetimes as UTC', async () => {
      const before = Date.now();
      const res = await call(url(), { method: 'POST', token: supervisor, body: newWo });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        wo_id: 'WO-1002',
        item_id: 'WIDGET-200',
        req_qty: 250.5,
        priority: 2,
        release_time_utc: '2025-03-01T06:00:00.000Z',
        due_time_utc: '2025-03-03T06:30:00.000Z',
        last_edit_by: SUPERVISOR,
      });
      expectRecentStamp(res.body.last_edit_at_utc, before);
      const [row] = await rows(api, "select last_edit_by, req_qty from wo where wo_id = 'WO-1002'");
      expect(row).toEqual({ last_edit_by: SUPERVISOR, req_qty: 250.5 });
      const filtered = await call(url('/filter?itemId=WIDGET-200'), { token: operator });
      expect(woIds(filtered.body)).toEqual(['WO-1002']);
    });

    it('with a service token is stamped with the background user', async () => {
      const res = await call(url(), {
        method: 'POST',
        token: service,
        body: { wo_id: 'WO-1003', item_id: 'WIDGET-100', req_qty: 10 },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        wo_id: 'WO-1003',
        priority: 0,
        release_time_utc: null,
        last_edit_by: BACKGROUND_USER,
      });
      const all = await call(url('?max_rows=2'), { token: operator });
      expect(woIds(all.body)).toEqual(['WO-1001', 'WO-1002']);
    });

    it('a duplicate wo_id or an unknown item is a 409 with the MES message', async () => {
      const before = await woTable();
      const dup = await call(url(), {
        method: 'POST',
        token: supervisor,
        body: { ...newWo, wo_id: 'WO-1001' },
      });
      expect(dup.status).toBe(409);
      expect(dup.body).toMatchObject({
        code: 'BUSINESS_RULE',
        detail: 'A work order with wo_id "WO-1001" already exists.',
      });
      const item = await call(url(), {
        method: 'POST',
        token: supervisor,
        body: { ...newWo, wo_id: 'WO-2000', item_id: 'NO-SUCH-ITEM' },
      });
      expect(item.status).toBe(409);
      expect(item.body.detail).toBe('Item "NO-SUCH-ITEM" does not exist.');
      expect(await woTable()).toBe(before);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['no wo_id', { wo_id: undefined }, 'wo_id is required'],
      ['no item_id', { item_id: undefined }, 'item_id is required'],
      ['no req_qty', { req_qty: undefined }, 'req_qty is required'],
      ['a negative req_qty', { req_qty: -5 }, 'req_qty must be a number at least 0'],
      ['a word as req_qty', { req_qty: 'hundred' }, 'req_qty must be a number'],
      ['a huge req_qty', { req_qty: 1e300 }, 'req_qty must be a number at least 0 and at most'],
      ['a negative priority', { priority: -1 }, 'priority must be an integer from 0'],
      ['a SQL fragment as wo_id', { wo_id: SQL_FRAGMENT }, 'wo_id must be 1 to 40 characters'],
      ['a 1 MB notes', { notes: ONE_MB }, 'notes must be at most 1000 characters'],
      [
        'a zone-less release time',
        { release_time_utc: '2025-03-01T06:00:00' },
        'release_time_utc must be an ISO 8601',
      ],
      [
        'an impossible date',
        { release_time_utc: '2025-02-30T06:00:00Z' },
        'release_time_utc must be an ISO 8601',
      ],
      ['a number as a date', { due_time_utc: 1700000000 }, 'due_time_utc must be an ISO 8601'],
      [
        'due before release',
        { due_time_utc: '2025-02-01T00:00:00Z' },
        'due_time_utc must not be before release_time_utc',
      ],
      ['an unknown field', { state_cd: 3 }, 'property state_cd should not exist'],
    ])('with %s is a 400 and changes nothing', async (_label, change, message) => {
      const before = await woTable();
      const res = await call(url(), {
        method: 'POST',
        token: supervisor,
        body: { ...newWo, wo_id: 'WO-3000', ...change },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
      expect(await woTable()).toBe(before);
    });
  });
});
