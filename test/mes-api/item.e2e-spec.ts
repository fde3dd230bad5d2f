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

/** Items (FactMES.API.Prod.Item.*) over HTTP with real tokens on the demo database. */
describe('items (api/v3/item)', () => {
  let api: RunningApi;
  let supervisor: string;
  let operator: string;
  let service: string;

  const url = (path = '') => `${api.base}/api/v3/item${path}`;
  const itemTable = () => snapshot(api, 'item', 'item_id');
  const newItem = {
    item_id: 'WIDGET-300',
    item_desc: 'Widget 300',
    item_class_id: 'FINISHED',
    uom_id: 1,
    obsolete: false,
    purchased: false,
    sold: true,
    produced: true,
    num_decimals: 0,
    last_edit_comment: 'added by the e2e suite',
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
      expect((await call(url('/key?itemId=RAW-STEEL'))).status).toBe(401);
    });

    it('GetAll lists the items by id (snake_case, flags as booleans) for any MES user', async () => {
      const res = await call(url(), { token: operator });
      expect(res.status).toBe(200);
      expect(res.body.map((i: { item_id: string }) => i.item_id)).toEqual([
        'RAW-STEEL',
        'WIDGET-100',
        'WIDGET-200',
      ]);
      expect(res.body[0]).toEqual({
        item_id: 'RAW-STEEL',
        item_desc: 'Steel sheet',
        item_class_id: 'RAW',
        uom_id: null,
        obsolete: false,
        purchased: true,
        sold: false,
        produced: false,
        num_decimals: 2,
        template: false,
        must_complete_steps: false,
        must_prod__reqd_qty: false,
        auto_re_order: false,
        serial_no_lvl: 0,
        inv_unique_by_job: false,
        spare1: null,
        spare2: null,
        last_edit_comment: null,
        last_edit_by: 'system',
        last_edit_at_utc: expect.stringMatching(/Z$/),
        mod_id: null,
      });
    });

    it('GetAll filters and max_rows; 204 when nothing matches', async () => {
      const finished = await call(url('?itemClassId=FINISHED&max_rows=1'), { token: operator });
      expect(finished.body.map((i: { item_id: string }) => i.item_id)).toEqual(['WIDGET-100']);
      const purchased = await call(url('?purchased=true'), { token: operator });
      expect(purchased.body.map((i: { item_id: string }) => i.item_id)).toEqual(['RAW-STEEL']);
      const none = await call(url('?obsolete=true'), { token: operator });
      expect(none.status).toBe(204);
      expect(none.text).toBe('');
      const bad = await call(url('?sold=perhaps'), { token: operator });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual(['sold must be a boolean value (true, false, 1 or 0)']);
    });

    it('GetByKey returns one item, with last_edit_at_local for tz_id', async () => {
      const res = await call(url('/key?itemId=WIDGET-100&tz_id=W.%20Europe%20Standard%20Time'), {
        token: operator,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ item_id: 'WIDGET-100', produced: true, sold: true });
      expect(res.body.last_edit_at_local).toMatch(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?$/,
      );
      const bad = await call(url('/key?itemId=WIDGET-100&tz_id=Nowhere/City'), { token: operator });
      expect(bad.status).toBe(400);
      expect(bad.body.detail).toContain('tz_id');
    });

    it('GetByKey: unknown 404, hostile keys 400, missing key 404', async () => {
      const missing = await call(url('/key?itemId=NOPE'), { token: operator });
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ code: 'ENTITY_NOT_FOUND', detail: NOT_FOUND });
      for (const value of [SQL_FRAGMENT, 'x'.repeat(41), "' OR '1'='1"]) {
        const res = await call(url(`/key?itemId=${encodeURIComponent(value)}`), {
          token: operator,
        });
        expect(res.status).toBe(400);
        expect(res.body.detail).toContain('itemId must be');
      }
      const none = await call(url('/key'), { token: operator });
      expect(none.status).toBe(404);
      expect(none.body.detail).toBe('The required parameter itemId is missing.');
    });

    it('a wrong verb is a 405 with Allow', async () => {
      const res = await call(url('/key?itemId=RAW-STEEL'), { method: 'DELETE', token: supervisor });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
    });
  });

  describe('writes', () => {
    let created: Record<string, unknown>;

    it('Add needs the edit-master-data privilege (operator 403, nothing written)', async () => {
      const before = await itemTable();
      const res = await call(url(), { method: 'POST', token: operator, body: newItem });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('PRIVILEGE_MISSING');
      expect(await itemTable()).toBe(before);
    });

    it('Add (supervisor) returns the created item stamped with the supervisor', async () => {
      const before = Date.now();
      const res = await call(url(), { method: 'POST', token: supervisor, body: newItem });
      expect(res.status).toBe(200);
      created = res.body as Record<string, unknown>;
      expect(created).toMatchObject({ ...newItem, last_edit_by: SUPERVISOR, spare1: null });
      expectRecentStamp(created.last_edit_at_utc, before);
      const [row] = await rows(
        api,
        "select last_edit_by, sold from item where item_id = 'WIDGET-300'",
      );
      expect(row).toEqual({ last_edit_by: SUPERVISOR, sold: 1 });
    });

    it('Add (service token) is stamped with the background user', async () => {
      const res = await call(url(), {
        method: 'POST',
        token: service,
        body: {
          ...newItem,
          item_id: 'RAW-ALU',
          item_class_id: 'RAW',
          purchased: true,
          sold: false,
          produced: undefined,
        },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        item_id: 'RAW-ALU',
        produced: false,
        last_edit_by: BACKGROUND_USER,
      });
    });

    it('Add: a duplicate item_id is a 409 with the MES message', async () => {
      const before = await itemTable();
      const res = await call(url(), {
        method: 'POST',
        token: supervisor,
        body: { ...newItem, item_id: 'WIDGET-100' },
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'BUSINESS_RULE',
        detail: 'An item with item_id "WIDGET-100" already exists.',
      });
      expect(await itemTable()).toBe(before);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['no item_desc', { item_desc: undefined }, 'item_desc is required'],
      ['no item_class_id', { item_class_id: undefined }, 'item_class_id is required'],
      ['no uom_id', { uom_id: undefined }, 'uom_id is required'],
      ['no obsolete', { obsolete: undefined }, 'obsolete is required'],
      ['no num_decimals', { num_decimals: undefined }, 'num_decimals is required'],
      [
        'a SQL fragment as item_id',
        { item_id: SQL_FRAGMENT },
        'item_id must be 1 to 40 characters',
      ],
      ['a 1 MB item_desc', { item_desc: ONE_MB }, 'item_desc must be 1 to 80 characters'],
      ['a word as uom_id', { uom_id: 'one' }, 'uom_id must be an integer'],
      ['a negative uom_id', { uom_id: -1 }, 'uom_id must be an integer from 0'],
      [
        'negative num_decimals',
        { num_decimals: -2 },
        'num_decimals must be an integer from 0 to 10',
      ],
      [
        'a fractional num_decimals',
        { num_decimals: 1.5 },
        'num_decimals must be an integer from 0 to 10',
      ],
      ['a word as a flag', { sold: 'yes' }, 'sold must be a boolean value'],
      ['an unknown field', { colour: 'blue' }, 'property colour should not exist'],
      ['mod_id on Add', { mod_id: 'x' }, 'property mod_id should not exist'],
    ])('Add with %s is a 400 and changes nothing', async (_label, change, message) => {
      const before = await itemTable();
      const res = await call(url(), {
        method: 'POST',
        token: supervisor,
        body: { ...newItem, item_id: 'NEW-1', ...change },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
      expect(await itemTable()).toBe(before);
    });

    it('Update (PUT) replaces the whole model and stamps the caller', async () => {
      const res = await call(url('?itemId=WIDGET-300'), {
        method: 'PUT',
        token: service,
        body: {
          item_id: 'WIDGET-300',
          item_desc: 'Widget 300 (v2)',
          item_class_id: 'FINISHED',
          uom_id: 2,
          obsolete: false,
          purchased: false,
          sold: true,
          num_decimals: 1,
          mod_id: created.mod_id,
        },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        item_desc: 'Widget 300 (v2)',
        uom_id: 2,
        num_decimals: 1,
        produced: false,
        last_edit_comment: null,
        last_edit_by: BACKGROUND_USER,
      });
      expect(res.body.mod_id).not.toBe(created.mod_id);
      created = res.body as Record<string, unknown>;
    });

    it('Update (PUT) requires the whole model; a stale mod_id is a 409', async () => {
      const before = await itemTable();
      const partial = await call(url('?itemId=WIDGET-300'), {
        method: 'PUT',
        token: supervisor,
        body: { item_desc: 'only this' },
      });
      expect(partial.status).toBe(400);
      expect(partial.body.errors).toEqual(
        expect.arrayContaining(['uom_id is required: an integer from 0 to 2147483647']),
      );
      const stale = await call(url('?itemId=WIDGET-300'), {
        method: 'PUT',
        token: supervisor,
        body: { ...newItem, item_id: undefined, mod_id: '00000000-0000-0000-0000-000000000000' },
      });
      expect(stale.status).toBe(409);
      expect(stale.body.detail).toContain('mod_id does not match');
      expect(await itemTable()).toBe(before);
    });

    it('UpdateSpecific (PATCH) changes only the members sent', async () => {
      const res = await call(url('?itemId=WIDGET-300'), {
        method: 'PATCH',
        token: supervisor,
        body: { obsolete: true, spare1: 'note' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        item_desc: 'Widget 300 (v2)',
        uom_id: 2,
        obsolete: true,
        spare1: 'note',
        last_edit_by: SUPERVISOR,
      });
      const [row] = await rows(
        api,
        "select item_desc, obsolete, spare1, last_edit_by from item where item_id = 'WIDGET-300'",
      );
      expect(row).toEqual({
        item_desc: 'Widget 300 (v2)',
        obsolete: 1,
        spare1: 'note',
        last_edit_by: SUPERVISOR,
      });
    });

    it('UpdateSpecific refuses an empty change, a null required member, hostile values and other keys', async () => {
      const before = await itemTable();
      for (const [body, message] of [
        [{}, 'at least one item member must be given'],
        [{ item_desc: null }, 'item_desc must be 1 to 80 characters'],
        [{ uom_id: -4 }, 'uom_id must be an integer from 0'],
        [{ item_class_id: SQL_FRAGMENT }, 'item_class_id must be 1 to 40 characters'],
        [{ item_desc: ONE_MB }, 'item_desc must be 1 to 80 characters'],
        [{ item_id: 'OTHER' }, 'item_id must equal itemId'],
        [{ last_edit_by: 'me' }, 'property last_edit_by should not exist'],
      ] as const) {
        const res = await call(url('?itemId=WIDGET-300'), {
          method: 'PATCH',
          token: supervisor,
          body,
        });
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
      }
      const op = await call(url('?itemId=WIDGET-300'), {
        method: 'PATCH',
        token: operator,
        body: { obsolete: false },
      });
      expect(op.status).toBe(403);
      const missing = await call(url('?itemId=NOPE'), {
        method: 'PATCH',
        token: supervisor,
        body: { obsolete: false },
      });
      expect(missing.status).toBe(404);
      expect(missing.body.detail).toBe(NOT_FOUND);
      expect(await itemTable()).toBe(before);
    });

    it('Delete: refused (409) while a work order uses the item; operator 403; unknown 404', async () => {
      const before = await itemTable();
      const used = await call(url('?itemId=WIDGET-100'), { method: 'DELETE', token: supervisor });
      expect(used.status).toBe(409);
      expect(used.body.detail).toBe(
        'Item "WIDGET-100" cannot be deleted: it is used by 1 work order and 5 jobs.',
      );
      const op = await call(url('?itemId=WIDGET-300'), { method: 'DELETE', token: operator });
      expect(op.status).toBe(403);
      const missing = await call(url('?itemId=NOPE'), { method: 'DELETE', token: supervisor });
      expect(missing.status).toBe(404);
      expect(await itemTable()).toBe(before);
    });

    it('Delete removes an unused item with 204', async () => {
      const res = await call(url('?itemId=WIDGET-300'), { method: 'DELETE', token: supervisor });
      expect(res.status).toBe(204);
      expect(await rows(api, "select item_id from item where item_id = 'WIDGET-300'")).toEqual([]);
      expect((await call(url('/key?itemId=WIDGET-300'), { token: supervisor })).status).toBe(404);
    });
  });
});
