import Database from 'better-sqlite3';
import { EntityAccessService } from '@mes-web-api/mes-plant';
import { call, RunningApi, startApi } from '../support/api';
import { serviceToken, userToken } from '../support/tokens';
import {
  ACCESS_DENIED,
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

/** Entities (FactMES.API.Core.Ent.*) over HTTP with real tokens on the demo database. */
describe('entities (api/v3/entity)', () => {
  let api: RunningApi;
  let supervisor: string;
  let operator: string;
  let service: string;

  const url = (path = '') => `${api.base}/api/v3/entity${path}`;
  const ids = (body: Array<{ ent_id: number }>) => body.map((e) => e.ent_id);
  const entTable = () => snapshot(api, 'ent', 'ent_id');
  const linkTable = () => snapshot(api, 'grp_ent_link', 'grp_id, ent_id');

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
      for (const path of ['', '/key?entId=5', '/filter', '/name?entName=Line%201']) {
        const res = await call(url(path));
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    });

    it('GetAll: every entity for a supervisor, snake_case MES columns', async () => {
      const res = await call(url(), { token: supervisor });
      expect(res.status).toBe(200);
      expect(ids(res.body)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(res.body[4]).toEqual({
        ent_id: 5,
        ent_name: 'Filler 1',
        description: 'Filler on line 1',
        parent_ent_id: 3,
        can_sched_jobs: true,
        can_run_jobs: true,
        can_capture_util: true,
        can_capture_labor: false,
        can_track_oee: false,
        can_sched_shifts: false,
        can_store: false,
        can_log_data: false,
        can_ship: false,
        can_receive: false,
        spare1: null,
        spare2: null,
        last_edit_comment: null,
        last_edit_by: 'system',
        last_edit_at_utc: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        mod_id: null,
      });
    });

    it('GetAll: an operator sees only the entities his group may access (grp_ent_link.accss)', async () => {
      const res = await call(url(), { token: operator });
      expect(res.status).toBe(200);
      // Operators: 3-7 with accss 1; 8 Quality Lab is linked with accss 0; 1 and 2 not linked.
      expect(ids(res.body)).toEqual([3, 4, 5, 6, 7]);
    });

    it('GetAll: optional filters parentEntId, canRunJobs, canSchedJobs', async () => {
      const byParent = await call(url('?parentEntId=3'), { token: supervisor });
      expect(ids(byParent.body)).toEqual([5, 6]);
      const runners = await call(url('?canRunJobs=true'), { token: supervisor });
      expect(ids(runners.body)).toEqual([5, 6, 7, 8]);
      const operatorRunners = await call(url('?canRunJobs=1&canSchedJobs=true'), {
        token: operator,
      });
      expect(ids(operatorRunners.body)).toEqual([5, 7]);
      const notRunners = await call(url('?canRunJobs=false'), { token: supervisor });
      expect(ids(notRunners.body)).toEqual([1, 2, 3, 4]);
    });

    it('GetAll honours max_rows from the query or a header (the header wins)', async () => {
      const query = await call(url('?max_rows=2'), { token: supervisor });
      expect(ids(query.body)).toEqual([1, 2]);
      const header = await call(url('?max_rows=2'), {
        token: supervisor,
        headers: { max_rows: '3' },
      });
      expect(ids(header.body)).toEqual([1, 2, 3]);
    });

    it.each(['0', '-1', 'abc', '1.5', '100001', "1' OR '1'='1"])(
      'max_rows=%p is a 400 that names max_rows',
      async (value) => {
        const res = await call(url(`?max_rows=${encodeURIComponent(value)}`), {
          token: supervisor,
        });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          code: 'VALIDATION_FAILED',
          detail: expect.stringContaining('max_rows'),
        });
      },
    );

    it('answers 204 with no body when nothing matches', async () => {
      const res = await call(url('?parentEntId=999999'), { token: supervisor });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      const filter = await call(url('/filter?entName=Nothing%20Here'), { token: supervisor });
      expect(filter.status).toBe(204);
    });

    it('GetByKey returns one entity', async () => {
      const res = await call(url('/key?entId=3'), { token: operator });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        ent_id: 3,
        ent_name: 'Line 1',
        parent_ent_id: 2,
        can_sched_shifts: true,
        can_track_oee: true,
      });
      expect(res.body).not.toHaveProperty('last_edit_at_local');
    });

    it('GetByKey with tz_id adds last_edit_at_local (IANA or Windows id); an unknown zone is a 400', async () => {
      const res = await call(url('/key?entId=3&tz_id=Asia/Kolkata'), { token: supervisor });
      expect(res.status).toBe(200);
      const utc = new Date(res.body.last_edit_at_utc as string);
      const local = new Date(`${res.body.last_edit_at_local as string}Z`);
      expect(local.getTime() - utc.getTime()).toBe(330 * 60_000);
      const windows = await call(url('/key?entId=3'), {
        token: supervisor,
        headers: { tz_id: 'India Standard Time' },
      });
      expect(windows.body.last_edit_at_local).toBe(res.body.last_edit_at_local);
      const bad = await call(url('/key?entId=3&tz_id=Mars/Olympus_Mons'), { token: supervisor });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        detail: expect.stringContaining('tz_id'),
      });
    });

    it('GetByKey: a missing entity is a 404 "does not exist"', async () => {
      const res = await call(url('/key?entId=999'), { token: supervisor });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'ENTITY_NOT_FOUND', detail: NOT_FOUND });
    });

    it.each([1, 2, 8])(
      'GetByKey: entity %p without group access is a 404 "no privileges" for the operator',
      async (entId) => {
        const res = await call(url(`/key?entId=${entId}`), { token: operator });
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ code: 'ENTITY_ACCESS_DENIED', detail: ACCESS_DENIED });
      },
    );

    it.each([
      ['abc', 'entId must be an integer'],
      ['0', 'entId must be an integer'],
      ['-1', 'entId must be an integer'],
      ['1.5', 'entId must be an integer'],
      ['2147483648', 'entId must be an integer'],
      ['1; DROP TABLE ent', 'entId must be an integer'],
      ['1 OR 1=1', 'entId must be an integer'],
    ])('GetByKey entId=%p is a 400 that names entId', async (value, message) => {
      const res = await call(url(`/key?entId=${encodeURIComponent(value)}`), { token: supervisor });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        detail: expect.stringContaining(message),
      });
    });

    it('GetByKey: entId given twice, or an unknown parameter, is a 400; a missing entId is a 404', async () => {
      const twice = await call(url('/key?entId=1&entId=2'), { token: supervisor });
      expect(twice.status).toBe(400);
      expect(twice.body.detail).toContain('entId');
      const unknown = await call(url('/key?entId=1&foo=bar'), { token: supervisor });
      expect(unknown.status).toBe(400);
      expect(unknown.body.detail).toBe('property foo should not exist');
      const missing = await call(url('/key'), { token: supervisor });
      expect(missing.status).toBe(404);
      expect(missing.body.detail).toBe('The required parameter entId is missing.');
    });

    it('GetByFilter matches any listed column; only accessible entities', async () => {
      const byName = await call(url('/filter?entName=Filler%201'), { token: supervisor });
      expect(byName.status).toBe(200);
      expect(ids(byName.body)).toEqual([5]);
      const logs = await call(url('/filter?canLogData=true'), { token: supervisor });
      expect(ids(logs.body)).toEqual([8]);
      const hidden = await call(url('/filter?canLogData=true'), { token: operator });
      expect(hidden.status).toBe(204);
      const combined = await call(
        url('/filter?parentEntId=3&canCaptureUtil=true&entId=6&max_rows=5'),
        {
          token: operator,
        },
      );
      expect(ids(combined.body)).toEqual([6]);
    });

    it.each([
      ['canRunJobs=maybe', 'canRunJobs must be a boolean'],
      ['parentEntId=-3', 'parentEntId must be an integer from 1'],
      ['parentEntId=abc', 'parentEntId must be an integer'],
      ['entName=' + encodeURIComponent("' OR 1=1 --"), 'entName must be 1 to 40 characters'],
      ['entName=' + 'x'.repeat(41), 'entName must be 1 to 40 characters'],
      ['foo=1', 'property foo should not exist'],
      ['entId=1&entId=2', 'entId must be given once'],
    ])('GetByFilter %s is a 400 naming the parameter', async (query, message) => {
      const res = await call(url(`/filter?${query}`), { token: supervisor });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
    });

    it('GetEntID returns the id of a name; missing, hidden and hostile names are refused', async () => {
      const res = await call(url('/name?entName=Filler%202'), { token: operator });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ent_id: 7 });
      const hidden = await call(url('/name?entName=Quality%20Lab'), { token: operator });
      expect(hidden.status).toBe(404);
      expect(hidden.body.detail).toBe(ACCESS_DENIED);
      const missing = await call(url('/name?entName=Line%209'), { token: operator });
      expect(missing.status).toBe(404);
      expect(missing.body.detail).toBe(NOT_FOUND);
      const hostile = await call(url(`/name?entName=${encodeURIComponent(SQL_FRAGMENT)}`), {
        token: operator,
      });
      expect(hostile.status).toBe(400);
      expect(hostile.body.detail).toContain('entName must be');
    });

    it('entity names are case-insensitive routes', async () => {
      const res = await call(`${api.base}/API/V3/Entity/Key?entId=5`, { token: supervisor });
      expect(res.status).toBe(200);
      expect(res.body.ent_id).toBe(5);
    });

    it('a wrong verb is a 405 with Allow', async () => {
      const patch = await call(url(), { method: 'PATCH', token: supervisor, body: {} });
      expect(patch.status).toBe(405);
      expect(patch.headers.get('allow')).toBe('GET, POST, PUT, DELETE, HEAD');
      const post = await call(url('/key?entId=1'), { method: 'POST', token: supervisor, body: {} });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
      expect(post.body.code).toBe('METHOD_NOT_ALLOWED');
    });
  });

  describe('writes', () => {
    const newEnt = {
      ent_name: 'Filler 3',
      description: 'Third filler, line 2',
      parent_ent_id: 4,
      can_run_jobs: true,
      can_sched_jobs: true,
      last_edit_comment: 'added by the e2e suite',
    };
    let created: Record<string, unknown>;

    it('Add needs the edit-master-data privilege: an operator gets 403 and nothing is written', async () => {
      const before = await entTable();
      const res = await call(url(), { method: 'POST', token: operator, body: newEnt });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({
        code: 'PRIVILEGE_MISSING',
        detail: expect.stringContaining('edit master data'),
      });
      expect(await entTable()).toBe(before);
    });

    it('Add (supervisor token) returns the created entity, stamped with the supervisor', async () => {
      const before = Date.now();
      const res = await call(url(), { method: 'POST', token: supervisor, body: newEnt });
      expect(res.status).toBe(200);
      created = res.body as Record<string, unknown>;
      expect(created).toMatchObject({
        ent_id: 9,
        ent_name: 'Filler 3',
        description: 'Third filler, line 2',
        parent_ent_id: 4,
        can_run_jobs: true,
        can_sched_jobs: true,
        can_store: false,
        last_edit_comment: 'added by the e2e suite',
        last_edit_by: SUPERVISOR,
        mod_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expectRecentStamp(created.last_edit_at_utc, before);
      const [row] = await rows(api, 'select last_edit_by, can_run_jobs from ent where ent_id = 9');
      expect(row).toEqual({ last_edit_by: SUPERVISOR, can_run_jobs: 1 });
    });

    it('the new entity is accessible to the creator groups and the groups of its parent', async () => {
      const links = await rows(
        api,
        'select grp_id, accss, last_edit_by from grp_ent_link where ent_id = 9 order by grp_id',
      );
      // Supervisors (the creator's group and the parent's), Operators, and the demo AD groups
      // (OS Group security) that mirror them on the parent.
      expect(links).toEqual([
        { grp_id: 1, accss: 1, last_edit_by: SUPERVISOR },
        { grp_id: 2, accss: 1, last_edit_by: SUPERVISOR },
        { grp_id: 3, accss: 1, last_edit_by: SUPERVISOR },
        { grp_id: 4, accss: 1, last_edit_by: SUPERVISOR },
      ]);
      const operatorView = await call(url('/key?entId=9'), { token: operator });
      expect(operatorView.status).toBe(200);
      expect(operatorView.body.ent_name).toBe('Filler 3');
    });

    it('Add with a service token acts as the background user', async () => {
      const before = Date.now();
      const res = await call(url('?tz_id=UTC'), {
        method: 'POST',
        token: service,
        body: { ent_name: 'Buffer 1', parent_ent_id: 3, can_store: true },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        ent_id: 10,
        ent_name: 'Buffer 1',
        can_store: true,
        last_edit_by: BACKGROUND_USER,
      });
      expectRecentStamp(res.body.last_edit_at_utc, before);
      expect(res.body.last_edit_at_local).toBe((res.body.last_edit_at_utc as string).slice(0, -1));
      const [row] = await rows(api, 'select last_edit_by from ent where ent_id = 10');
      expect(row.last_edit_by).toBe(BACKGROUND_USER);
    });

    it('Add: a duplicate name is a 409 with the MES message; nothing changes', async () => {
      const before = await entTable();
      const res = await call(url(), {
        method: 'POST',
        token: supervisor,
        body: { ent_name: 'Line 1' },
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'BUSINESS_RULE',
        detail: 'An entity named "Line 1" already exists.',
      });
      expect(JSON.stringify(res.body)).not.toMatch(/SQLITE|constraint|INSERT/i);
      expect(await entTable()).toBe(before);
    });

    it('Add: an unknown parent is a 409', async () => {
      const res = await call(url(), {
        method: 'POST',
        token: supervisor,
        body: { ent_name: 'Orphan', parent_ent_id: 777 },
      });
      expect(res.status).toBe(409);
      expect(res.body.detail).toBe('The parent entity 777 does not exist.');
    });

    it.each<[string, unknown, string]>([
      [
        'a SQL fragment as ent_name',
        { ent_name: SQL_FRAGMENT },
        'ent_name must be 1 to 40 characters',
      ],
      ['a 1 MB ent_name', { ent_name: ONE_MB }, 'ent_name must be 1 to 40 characters'],
      [
        'a 1 MB description',
        { ent_name: 'Big', description: ONE_MB },
        'description must be at most 255 characters',
      ],
      ['a number as ent_name', { ent_name: 123 }, 'ent_name must be 1 to 40 characters'],
      ['no ent_name', { description: 'nameless' }, 'ent_name is required'],
      [
        'a string as a flag',
        { ent_name: 'Flags', can_run_jobs: 'yes' },
        'can_run_jobs must be a boolean value',
      ],
      [
        '2 as a flag',
        { ent_name: 'Flags', can_run_jobs: 2 },
        'can_run_jobs must be a boolean value',
      ],
      [
        'a negative parent',
        { ent_name: 'Neg', parent_ent_id: -1 },
        'parent_ent_id must be an integer from 1 to 2147483647',
      ],
      [
        'a string parent',
        { ent_name: 'Str', parent_ent_id: 'four' },
        'parent_ent_id must be an integer from 1',
      ],
      ['an unknown field', { ent_name: 'Extra', color: 'red' }, 'property color should not exist'],
      ['ent_id on Add', { ent_name: 'WithId', ent_id: 99 }, 'property ent_id should not exist'],
      [
        'last_edit_by in the body',
        { ent_name: 'Spoof', last_edit_by: 'someone' },
        'property last_edit_by should not exist',
      ],
      [
        'a control character',
        { ent_name: 'Ctl', description: 'a\u0000b' },
        'description must be at most 255 characters without control characters',
      ],
      ['an array body', [{ ent_name: 'Arr' }], ''],
    ])('Add with %s is a 400 and changes nothing', async (_label, body, message) => {
      const before = await entTable();
      const links = await linkTable();
      const res = await call(url(), { method: 'POST', token: supervisor, body });
      expect(res.status).toBe(400);
      expect(['VALIDATION_FAILED', 'MALFORMED_BODY']).toContain(res.body.code);
      if (message)
        expect(res.body.errors).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
      expect(await entTable()).toBe(before);
      expect(await linkTable()).toBe(links);
    });

    it('Add with a body that is not JSON is a 400 MALFORMED_BODY', async () => {
      const before = await entTable();
      const res = await call(url(), {
        method: 'POST',
        token: supervisor,
        body: '{"ent_name": "x",',
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('MALFORMED_BODY');
      expect(await entTable()).toBe(before);
    });

    it('Add accepts what .NET clients send: 0/1 and "true"/"false" for flags, numeric strings for numbers', async () => {
      const res = await call(url(), {
        method: 'POST',
        token: supervisor,
        body: {
          ent_name: 'Coerced Cell',
          parent_ent_id: '4',
          can_run_jobs: 1,
          can_sched_jobs: 'True',
          can_store: 0,
          can_ship: 'false',
        },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        ent_name: 'Coerced Cell',
        parent_ent_id: 4,
        can_run_jobs: true,
        can_sched_jobs: true,
        can_store: false,
        can_ship: false,
      });
      const removed = await call(url(`?entId=${res.body.ent_id as number}`), {
        method: 'DELETE',
        token: supervisor,
      });
      expect(removed.status).toBe(204);
    });

    it('SQL in free text is stored as text, never run', async () => {
      const res = await call(url(), {
        method: 'POST',
        token: supervisor,
        body: { ent_name: 'Text Check', description: SQL_FRAGMENT },
      });
      expect(res.status).toBe(200);
      expect(res.body.description).toBe(SQL_FRAGMENT);
      const [count] = await rows(api, 'select count(*) as n from ent');
      expect(count.n).toBe(11);
    });

    it('Update (service token) replaces the whole model and stamps the background user', async () => {
      const before = Date.now();
      const res = await call(url('?entId=9'), {
        method: 'PUT',
        token: service,
        body: {
          ent_id: 9,
          ent_name: 'Filler 3A',
          parent_ent_id: 4,
          can_run_jobs: true,
          mod_id: created.mod_id,
        },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        ent_id: 9,
        ent_name: 'Filler 3A',
        description: null,
        can_run_jobs: true,
        can_sched_jobs: false,
        last_edit_comment: null,
        last_edit_by: BACKGROUND_USER,
      });
      expect(res.body.mod_id).not.toBe(created.mod_id);
      expectRecentStamp(res.body.last_edit_at_utc, before);
      const [row] = await rows(
        api,
        'select ent_name, last_edit_by, can_sched_jobs from ent where ent_id = 9',
      );
      expect(row).toEqual({
        ent_name: 'Filler 3A',
        last_edit_by: BACKGROUND_USER,
        can_sched_jobs: 0,
      });
    });

    it('Update (supervisor token) stamps the supervisor', async () => {
      const res = await call(url('?entId=9'), {
        method: 'PUT',
        token: supervisor,
        body: { ent_name: 'Filler 3', parent_ent_id: 4, can_run_jobs: true, can_sched_jobs: true },
      });
      expect(res.status).toBe(200);
      expect(res.body.last_edit_by).toBe(SUPERVISOR);
    });

    it('Update: a stale mod_id is a 409 and changes nothing', async () => {
      const before = await entTable();
      const res = await call(url('?entId=9'), {
        method: 'PUT',
        token: supervisor,
        body: { ent_name: 'Filler 3B', mod_id: created.mod_id },
      });
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain('mod_id does not match');
      expect(await entTable()).toBe(before);
    });

    it('Update: a parent that is the entity or one of its descendants is a 409', async () => {
      const before = await entTable();
      for (const parent of [3, 5]) {
        const res = await call(url('?entId=3'), {
          method: 'PUT',
          token: supervisor,
          body: { ent_name: 'Line 1', parent_ent_id: parent },
        });
        expect(res.status).toBe(409);
        expect(res.body.detail).toContain(`Entity ${parent} cannot be the parent of entity 3`);
      }
      expect(await entTable()).toBe(before);
    });

    it('Update: renaming to an existing name is a 409; ent_id other than entId is a 400', async () => {
      const dup = await call(url('?entId=9'), {
        method: 'PUT',
        token: supervisor,
        body: { ent_name: 'Line 2' },
      });
      expect(dup.status).toBe(409);
      expect(dup.body.detail).toBe('An entity named "Line 2" already exists.');
      const other = await call(url('?entId=9'), {
        method: 'PUT',
        token: supervisor,
        body: { ent_id: 8, ent_name: 'X' },
      });
      expect(other.status).toBe(400);
      expect(other.body.errors).toEqual(['ent_id must equal entId']);
    });

    it('Update: operator 403, unknown entity 404, hostile bodies 400; nothing changes', async () => {
      const before = await entTable();
      const op = await call(url('?entId=5'), {
        method: 'PUT',
        token: operator,
        body: { ent_name: 'Filler 1' },
      });
      expect(op.status).toBe(403);
      const missing = await call(url('?entId=999'), {
        method: 'PUT',
        token: supervisor,
        body: { ent_name: 'Ghost' },
      });
      expect(missing.status).toBe(404);
      expect(missing.body.detail).toBe(NOT_FOUND);
      for (const body of [
        { ent_name: SQL_FRAGMENT },
        { ent_name: 'Filler 1', can_track_oee: 'yes' },
        { ent_name: 'Filler 1', parent_ent_id: -5 },
        { ent_name: 'Filler 1', last_edit_at: '2020-01-01T00:00:00Z' },
      ]) {
        const res = await call(url('?entId=5'), { method: 'PUT', token: supervisor, body });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      const badKey = await call(url('?entId=5%3B%20DELETE%20FROM%20ent'), {
        method: 'PUT',
        token: supervisor,
        body: { ent_name: 'x' },
      });
      expect(badKey.status).toBe(400);
      expect(await entTable()).toBe(before);
    });

    it('Delete: refused with 409 while the entity has children or jobs', async () => {
      const before = await entTable();
      const parent = await call(url('?entId=3'), { method: 'DELETE', token: supervisor });
      expect(parent.status).toBe(409);
      expect(parent.body.detail).toBe(
        'Entity "Line 1" (3) cannot be deleted: it is the parent of 3 entities. Delete or move them first.',
      );
      const withJobs = await call(url('?entId=5'), { method: 'DELETE', token: supervisor });
      expect(withJobs.status).toBe(409);
      expect(withJobs.body.detail).toBe(
        'Entity "Filler 1" (5) cannot be deleted: 2 jobs are scheduled or run on it.',
      );
      expect(await entTable()).toBe(before);
    });

    it('Delete: an operator gets 403, an unknown entity 404', async () => {
      const op = await call(url('?entId=10'), { method: 'DELETE', token: operator });
      expect(op.status).toBe(403);
      const missing = await call(url('?entId=999'), { method: 'DELETE', token: supervisor });
      expect(missing.status).toBe(404);
      expect(missing.body.detail).toBe(NOT_FOUND);
    });

    it('Delete removes the entity and its access links with 204', async () => {
      const res = await call(url('?entId=10'), { method: 'DELETE', token: service });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(await rows(api, 'select ent_id from ent where ent_id = 10')).toEqual([]);
      expect(await rows(api, 'select grp_id from grp_ent_link where ent_id = 10')).toEqual([]);
      const gone = await call(url('/key?entId=10'), { token: supervisor });
      expect(gone.status).toBe(404);
      expect(gone.body.detail).toBe(NOT_FOUND);
    });
  });

  describe('access granted through grp_ent_link outside the API', () => {
    afterAll(async () => {
      await rows(api, 'delete from grp_ent_link where grp_id = 2 and ent_id = 1');
      api.app.get(EntityAccessService).invalidate();
    });

    it('takes effect at once (a cached denial is never trusted)', async () => {
      const before = await call(url('/key?entId=1'), { token: operator });
      expect(before.status).toBe(404);
      expect(before.body.detail).toBe(ACCESS_DENIED);
      await rows(api, 'insert into grp_ent_link (grp_id, ent_id, accss) values (2, 1, 1)');
      const after = await call(url('/key?entId=1'), { token: operator });
      expect(after.status).toBe(200);
      expect(after.body.ent_name).toBe('Demo Site');
    });
  });

  describe('access revoked through grp_ent_link', () => {
    beforeAll(async () => {
      await rows(api, 'update grp_ent_link set accss = 0 where grp_id = 1 and ent_id = 8');
      api.app.get(EntityAccessService).invalidate();
    });
    afterAll(async () => {
      await rows(api, 'update grp_ent_link set accss = 1 where grp_id = 1 and ent_id = 8');
      api.app.get(EntityAccessService).invalidate();
    });

    it('hides the entity from reads and refuses writes with the MES access message', async () => {
      const list = await call(url(), { token: supervisor });
      expect(ids(list.body)).not.toContain(8);
      const before = await entTable();
      for (const [method, path, body] of [
        ['GET', '/key?entId=8', undefined],
        ['GET', '/name?entName=Quality%20Lab', undefined],
        ['PUT', '?entId=8', { ent_name: 'Quality Lab 2' }],
        ['DELETE', '?entId=8', undefined],
      ] as const) {
        const res = await call(url(path), { method, token: supervisor, body });
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ code: 'ENTITY_ACCESS_DENIED', detail: ACCESS_DENIED });
      }
      const child = await call(url(), {
        method: 'POST',
        token: supervisor,
        body: { ent_name: 'Lab Bench', parent_ent_id: 8 },
      });
      expect(child.status).toBe(404);
      expect(child.body.detail).toBe(ACCESS_DENIED);
      expect(await entTable()).toBe(before);
    });
  });

  describe('warm reads stay fresh', () => {
    it('GetByKey answers from memory only while the database is unchanged: changes through the API or made elsewhere show at once, a removed row is a 404', async () => {
      const added = await call(url(), {
        method: 'POST',
        token: supervisor,
        body: { ent_name: 'Fresh Read Cell', parent_ent_id: 3 },
      });
      expect(added.status).toBe(200);
      const entId = (added.body as { ent_id: number }).ent_id;
      for (let i = 0; i < 3; i++) {
        // Warm: the token is remembered and the operator's grants are cached.
        const warm = await call(url(`/key?entId=${entId}`), { token: operator });
        expect(warm.status).toBe(200);
        expect(warm.body).toMatchObject({ ent_id: entId, ent_name: 'Fresh Read Cell' });
      }
      // A change through the API (this process's own connection) shows on the next read.
      const updated = await call(url(`?entId=${entId}`), {
        method: 'PUT',
        token: supervisor,
        body: { ent_name: 'Fresh Read Cell 2', parent_ent_id: 3 },
      });
      expect(updated.status).toBe(200);
      const afterUpdate = await call(url(`/key?entId=${entId}`), { token: operator });
      expect(afterUpdate.body).toMatchObject({ ent_id: entId, ent_name: 'Fresh Read Cell 2' });
      // Another connection to the same file (as another process would) changes the row...
      const other = new Database(api.dbPath);
      try {
        other
          .prepare('update ent set ent_name = ? where ent_id = ?')
          .run('Renamed Elsewhere', entId);
        const renamed = await call(url(`/key?entId=${entId}`), { token: operator });
        expect(renamed.body).toMatchObject({ ent_id: entId, ent_name: 'Renamed Elsewhere' });
        // ...and removes it (the cached grant still lists it): the next read is a 404.
        other.prepare('delete from ent where ent_id = ?').run(entId);
        const gone = await call(url(`/key?entId=${entId}`), { token: operator });
        expect(gone.status).toBe(404);
        expect(gone.body).toMatchObject({ code: 'ENTITY_NOT_FOUND', detail: NOT_FOUND });
      } finally {
        other.close();
      }
    });
  });
});
