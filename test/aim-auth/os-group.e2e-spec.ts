import { call, e2eIssuer, RunningApi, startApi } from '../support/api';
import { TestAuthority } from '../support/test-authority';
import { serviceToken, userToken } from '../support/tokens';
import { ACCESS_DENIED, rows } from '../mes-api/master-data.fixtures';

/** The demo AD group SIDs (development authority `role` claim; demo `grp_name.sid`). */
const SID_PREFIX = 'S-1-5-21-3623811015-3361044348-30300820';
const OPERATORS_SID = `${SID_PREFIX}-1101`;
const SUPERVISORS_SID = `${SID_PREFIX}-1102`;
const DOMAIN_USERS_SID = `${SID_PREFIX}-513`;

const NEWCOMER = 'mes\\adnewcomer';
const AD_SUPERVISOR = 'mes\\adsupervisor';
const STRANGER = 'mes\\adstranger';

/**
 * OS Group security (issue #19) over real HTTP: the API in MES_SECURITY_MODE=os-group on a real
 * SQLite file, tokens from the development authority (AD users and their `role` SIDs) and, for
 * claims it cannot issue (another set of groups for the same user, no group claim), from an
 * in-process authority with real keys that the API also trusts.
 */
describe('OS Group security (MES_SECURITY_MODE=os-group)', () => {
  let api: RunningApi;
  let other: TestAuthority;

  const entities = (path = '') => `${api.base}/api/v3/entity${path}`;
  const ids = (body: Array<{ ent_id: number }>) => body.map((e) => e.ent_id);
  const userRows = (userId: string) =>
    rows(
      api,
      'select user_id, active, auth_method, last_edit_by, last_edit_comment, mod_id from user_name where user_id = ?',
      [userId],
    );

  beforeAll(async () => {
    other = await TestAuthority.start();
    api = await startApi({
      env: {
        MES_SECURITY_MODE: 'os-group',
        AIM_AUTHORITY: `${e2eIssuer()},${other.issuer}`,
      },
    });
  });

  afterAll(async () => {
    await api?.close();
    await other?.stop();
  });

  it('the first call of an AD user creates the MES user exactly once, even for 20 concurrent calls', async () => {
    const token = await userToken(NEWCOMER);
    expect(await userRows(NEWCOMER)).toEqual([]);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => call(entities(), { token })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(await userRows(NEWCOMER)).toEqual([
      {
        user_id: NEWCOMER,
        active: 1,
        auth_method: 2,
        last_edit_by: NEWCOMER,
        last_edit_comment: expect.stringContaining('first login'),
        mod_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
    // Its groups come from the token, never from user_grp_link.
    expect(await rows(api, 'select * from user_grp_link where user_id = ?', [NEWCOMER])).toEqual(
      [],
    );
  });

  it('an AD operator (operators SID) reaches entity 5 but not 8 and cannot edit master data', async () => {
    const token = await userToken(NEWCOMER);
    const all = await call(entities(), { token });
    expect(all.status).toBe(200);
    expect(ids(all.body)).toEqual([3, 4, 5, 6, 7]);
    expect((await call(entities('/key?entId=5'), { token })).status).toBe(200);
    const eight = await call(entities('/key?entId=8'), { token });
    expect(eight.status).toBe(404);
    expect(eight.body.detail).toBe(ACCESS_DENIED);
    const add = await call(entities(), {
      method: 'POST',
      token,
      body: { ent_name: 'Not allowed', parent_ent_id: 2 },
    });
    expect(add.status).toBe(403);
    expect(add.body).toMatchObject({
      code: 'PRIVILEGE_MISSING',
      detail: expect.stringContaining('edit master data'),
    });
    // The list statements of other objects take the token's groups too.
    expect((await call(`${api.base}/api/jobs?woId=WO-1001`, { token })).status).toBe(200);
    const schedules = await call(`${api.base}/api/v3/shiftSchedule`, { token });
    expect(schedules.status).toBe(200);
    expect(new Set(schedules.body.map((s: { ent_id: number }) => s.ent_id))).toEqual(
      new Set([3, 4]),
    );
  });

  it('an AD supervisor (supervisors SID) reaches every entity and may edit master data; the write is stamped with the MES user', async () => {
    const token = await userToken(AD_SUPERVISOR);
    const all = await call(entities(), { token });
    expect(all.status).toBe(200);
    expect(ids(all.body)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await call(entities('/key?entId=8'), { token })).status).toBe(200);
    const add = await call(entities(), {
      method: 'POST',
      token,
      body: { ent_name: 'AD Line', description: 'added in OS Group mode', parent_ent_id: 2 },
    });
    expect(add.status).toBe(200);
    expect(add.body).toMatchObject({ ent_name: 'AD Line', last_edit_by: AD_SUPERVISOR });
    // The creator's groups are its token's groups: AD Supervisors gets access to the new entity.
    const links = await rows(
      api,
      `select g.grp_desc from grp_ent_link l join grp_name g on g.grp_id = l.grp_id
        where l.ent_id = ? order by g.grp_desc`,
      [add.body.ent_id],
    );
    expect(links.map((l) => l.grp_desc)).toContain('AD Supervisors');
    expect(await userRows(AD_SUPERVISOR)).toHaveLength(1);
  });

  it('a change of AD membership takes effect with the next token (same user, other SIDs)', async () => {
    const asOperator = await other.userToken('corp\\alice', {
      role: [DOMAIN_USERS_SID, OPERATORS_SID, 'identitymanager.admin'],
    });
    const asSupervisor = await other.userToken('corp\\alice', {
      role: [DOMAIN_USERS_SID, SUPERVISORS_SID],
    });
    const first = await call(entities(), { token: asOperator });
    expect(first.status).toBe(200);
    expect(ids(first.body)).toEqual([3, 4, 5, 6, 7]);
    expect((await call(entities('/key?entId=8'), { token: asOperator })).status).toBe(404);

    const promoted = await call(entities(), { token: asSupervisor });
    expect(ids(promoted.body)).toEqual(expect.arrayContaining([1, 2, 3, 4, 5, 6, 7, 8]));
    expect((await call(entities('/key?entId=8'), { token: asSupervisor })).status).toBe(200);

    // The older token still carries the old groups: answers are kept per set of groups.
    expect((await call(entities('/key?entId=8'), { token: asOperator })).status).toBe(404);
    expect(await userRows('corp\\alice')).toHaveLength(1);
  });

  it('a role claim that is a single string works', async () => {
    const token = await other.userToken('corp\\carol', { role: OPERATORS_SID });
    const res = await call(entities('/key?entId=5'), { token });
    expect(res.status).toBe(200);
  });

  it('no matching SID is a 403 NO_MES_GROUP that never echoes the SIDs, and creates no user', async () => {
    const res = await call(entities(), { token: await userToken(STRANGER) });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'NO_MES_GROUP',
      detail: expect.stringContaining('No MES group matches the groups of "mes\\adstranger"'),
    });
    expect(res.text).not.toContain('S-1-');
    expect(res.text).not.toContain('identitymanager.admin');
    expect(await userRows(STRANGER)).toEqual([]);
  });

  it('a token without the group claim is a 403 NO_MES_GROUP and creates no user', async () => {
    const token = await other.userToken('corp\\bob', { role: undefined });
    const res = await call(entities(), { token });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'NO_MES_GROUP',
      detail: expect.stringContaining('carries no group claim ("role")'),
    });
    expect(await userRows('corp\\bob')).toEqual([]);
  });

  it('an existing inactive MES user stays refused (403 MES_USER_INACTIVE), never reactivated', async () => {
    const res = await call(entities(), { token: await userToken('mes\\former') });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('MES_USER_INACTIVE');
    expect(await userRows('mes\\former')).toMatchObject([{ active: 0, auth_method: 1 }]);
  });

  it('a service token is unchanged: the background user and its user_grp_link groups', async () => {
    const res = await call(entities(), { token: await serviceToken() });
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(expect.arrayContaining([1, 2, 3, 4, 5, 6, 7, 8]));
    const add = await call(entities(), {
      method: 'POST',
      token: await serviceToken(),
      body: { ent_name: 'Service Line', parent_ent_id: 2 },
    });
    expect(add.status).toBe(200);
    expect(add.body.last_edit_by).toBe('Default Background User');
  });

  it('the warm path (token remembered, user and groups cached) answers the same', async () => {
    const token = await userToken(NEWCOMER);
    for (let i = 0; i < 5; i++) {
      const res = await call(entities('/key?entId=8'), { token });
      expect(res.status).toBe(404);
      expect((await call(entities('/key?entId=5'), { token })).status).toBe(200);
    }
  });
});

describe('OS User mode (default) is unchanged for AD-only users', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api?.close());

  it('an AD user not in user_name is no MES user (403), and nothing is created', async () => {
    const res = await call(`${api.base}/api/v3/entity`, { token: await userToken(NEWCOMER) });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('MES_USER_NOT_FOUND');
    expect(await rows(api, 'select * from user_name where user_id = ?', [NEWCOMER])).toEqual([]);
  });

  it('the demo operator keeps its user_grp_link groups (the AD groups are not used)', async () => {
    const res = await call(`${api.base}/api/v3/entity`, {
      token: await userToken('mes\\operator'),
    });
    expect(res.status).toBe(200);
    expect(res.body.map((e: { ent_id: number }) => e.ent_id)).toEqual([3, 4, 5, 6, 7]);
  });
});
