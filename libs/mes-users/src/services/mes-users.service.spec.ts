import { Test, TestingModule } from '@nestjs/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { MesDatabaseModule } from '@mes-web-api/mes-database';
import { MesError, MesErrorCode } from '@mes-web-api/common';
import { BACKGROUND_USER_ATTR_ID, MesPrivilege } from '../mes-users.constants';
import { MesUsersModule } from '../mes-users.module';
import { MesUsersService } from './mes-users.service';
import { SystemAttributesService, toSystemAttribute } from './system-attributes.service';
import { UserNameService } from './user-name.service';

// A bare Nest app with just the database and users modules, on a fresh seeded SQLite file.
let app: TestingModule;
let users: MesUsersService;
let attrs: SystemAttributesService;
let ds: DataSource;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mes-users-'));

beforeAll(async () => {
  app = await Test.createTestingModule({
    imports: [
      MesDatabaseModule.forRoot({
        type: 'sqlite',
        path: path.join(dir, 'mes.sqlite'),
        isGlobal: true,
      }),
      MesUsersModule,
    ],
  }).compile();
  users = app.get(MesUsersService);
  attrs = app.get(SystemAttributesService);
  ds = app.get(DataSource);
});

afterAll(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('MesUsersService', () => {
  it('findActiveUser returns an active user without any credential', async () => {
    await expect(users.findActiveUser('mes\\operator')).resolves.toStrictEqual({
      userId: 'mes\\operator',
      userDesc: 'Demo operator',
      active: true,
      emailAddress: null,
      langId: null,
      authMethod: 1,
    });
  });

  it('findActiveUser matches the user id case-insensitively (like SQL Server) and returns the stored id', async () => {
    await expect(users.findActiveUser('MES\\Operator')).resolves.toMatchObject({
      userId: 'mes\\operator',
    });
  });

  it('findActiveUser returns null for an inactive, unknown, empty or over-long user id', async () => {
    await expect(users.findActiveUser('mes\\former')).resolves.toBeNull();
    await expect(users.findActiveUser('mes\\nobody')).resolves.toBeNull();
    await expect(users.findActiveUser('')).resolves.toBeNull();
    await expect(users.findActiveUser('x'.repeat(41))).resolves.toBeNull();
    await expect(users.findActiveUser("' OR 1=1 --")).resolves.toBeNull();
  });

  it('findUser returns inactive users too', async () => {
    await expect(users.findUser('mes\\former')).resolves.toMatchObject({
      userId: 'mes\\former',
      active: false,
    });
    await expect(users.findUser('mes\\nobody')).resolves.toBeNull();
  });

  it('UserNameService lists the users by id (never a credential) and honours maxRows', async () => {
    const all = await app.get(UserNameService).list();
    expect(all.map((u) => u.user_id)).toEqual([
      'Default Background User',
      'mes\\former',
      'mes\\operator',
      'mes\\supervisor',
    ]);
    expect(Object.keys(all[0])).not.toEqual(expect.arrayContaining(['password', 'salt']));
    await expect(app.get(UserNameService).list(2)).resolves.toHaveLength(2);
  });

  it('requirePrivilege passes with the privilege and throws PRIVILEGE_MISSING naming it without', async () => {
    await expect(
      users.requirePrivilege(
        { userId: 'mes\\supervisor' },
        MesPrivilege.EditMasterData,
        'edit master data',
      ),
    ).resolves.toBeUndefined();
    const error = await users
      .requirePrivilege(
        { userId: 'mes\\operator' },
        MesPrivilege.EditMasterData,
        'edit master data',
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: MesErrorCode.PrivilegeMissing,
      detail: '"mes\\operator" does not have the privilege to edit master data (privilege 2).',
    });
  });

  it('groupsOf lists the group ids', async () => {
    await expect(users.groupsOf({ userId: 'mes\\supervisor' })).resolves.toEqual([1]);
    await expect(users.groupsOf({ userId: 'mes\\operator' })).resolves.toEqual([2]);
    await expect(users.groupsOf({ userId: 'mes\\nobody' })).resolves.toEqual([]);
  });

  it('privilegesOf gives the demo privileges', async () => {
    await expect(users.privilegesOf({ userId: 'mes\\supervisor' })).resolves.toEqual(
      new Map([
        [MesPrivilege.EditSystemAttributes, 1],
        [MesPrivilege.EditMasterData, 1],
        [MesPrivilege.RunJobs, 1],
        [4, 1], // Direct database access
      ]),
    );
    await expect(users.privilegesOf({ userId: 'mes\\operator' })).resolves.toEqual(
      new Map([[MesPrivilege.RunJobs, 1]]),
    );
    await expect(users.privilegesOf({ userId: 'mes\\nobody' })).resolves.toEqual(new Map());
  });

  it('privilegesOf shares one map while the database is unchanged, and follows a change', async () => {
    const supervisor = { userId: 'mes\\supervisor' };
    const first = await users.privilegesOf(supervisor);
    expect(await users.privilegesOf(supervisor)).toBe(first); // a kept read: the same map
    await ds.query(`UPDATE grp_priv_link SET priv_value = 5 WHERE grp_id = 1 AND priv_id = 2`);
    const after = await users.privilegesOf(supervisor);
    expect(after).not.toBe(first);
    expect(after.get(MesPrivilege.EditMasterData)).toBe(5);
    expect(first.get(MesPrivilege.EditMasterData)).toBe(1);
    await ds.query(`UPDATE grp_priv_link SET priv_value = 1 WHERE grp_id = 1 AND priv_id = 2`);
    expect((await users.privilegesOf(supervisor)).get(MesPrivilege.EditMasterData)).toBe(1);
  });

  it('privilegesOf and hasPrivilege take the maximum over all of the user groups', async () => {
    await ds.query(
      `INSERT INTO grp_name (grp_id, grp_desc) VALUES (10, 'Leads'), (11, 'Trainees')`,
    );
    await ds.query(`INSERT INTO user_name (user_id, active) VALUES ('mes\\multi', 1)`);
    await ds.query(
      `INSERT INTO user_grp_link (grp_id, user_id) VALUES (10, 'mes\\multi'), (11, 'mes\\multi')`,
    );
    await ds.query(
      `INSERT INTO grp_priv_link (grp_id, priv_id, priv_value) VALUES (10, 2, 3), (11, 2, 1), (11, 3, 2), (10, 3, 0)`,
    );
    await expect(users.privilegesOf({ userId: 'mes\\multi' })).resolves.toEqual(
      new Map([
        [MesPrivilege.EditMasterData, 3],
        [MesPrivilege.RunJobs, 2],
      ]),
    );
    await expect(
      users.hasPrivilege({ userId: 'mes\\multi' }, MesPrivilege.EditMasterData, 3),
    ).resolves.toBe(true);
    await expect(
      users.hasPrivilege({ userId: 'mes\\multi' }, MesPrivilege.EditMasterData, 4),
    ).resolves.toBe(false);
    await expect(users.hasPrivilege({ userId: 'mes\\multi' }, MesPrivilege.RunJobs)).resolves.toBe(
      true,
    );
    await expect(
      users.hasPrivilege({ userId: 'mes\\multi' }, MesPrivilege.EditSystemAttributes),
    ).resolves.toBe(false);
  });

  it('hasPrivilege for the demo users', async () => {
    await expect(
      users.hasPrivilege({ userId: 'mes\\supervisor' }, MesPrivilege.EditSystemAttributes),
    ).resolves.toBe(true);
    await expect(
      users.hasPrivilege({ userId: 'mes\\operator' }, MesPrivilege.EditSystemAttributes),
    ).resolves.toBe(false);
    await expect(
      users.hasPrivilege({ userId: 'mes\\operator' }, MesPrivilege.RunJobs),
    ).resolves.toBe(true);
    await expect(users.hasPrivilege({ userId: 'mes\\nobody' }, MesPrivilege.RunJobs)).resolves.toBe(
      false,
    );
  });

  it('canAccessEntity follows grp_ent_link.accss', async () => {
    await expect(users.canAccessEntity({ userId: 'mes\\operator' }, 5)).resolves.toBe(true);
    await expect(users.canAccessEntity({ userId: 'mes\\operator' }, 1)).resolves.toBe(false); // no link
    await expect(users.canAccessEntity({ userId: 'mes\\operator' }, 8)).resolves.toBe(false); // link with accss 0
    await expect(users.canAccessEntity({ userId: 'mes\\supervisor' }, 8)).resolves.toBe(true);
    await expect(users.canAccessEntity({ userId: 'mes\\nobody' }, 5)).resolves.toBe(false);
  });

  it('accessibleEntityIds lists the entities with access', async () => {
    await expect(users.accessibleEntityIds({ userId: 'mes\\operator' })).resolves.toEqual(
      new Set([3, 4, 5, 6, 7]),
    );
    await expect(users.accessibleEntityIds({ userId: 'mes\\supervisor' })).resolves.toEqual(
      new Set([1, 2, 3, 4, 5, 6, 7, 8]),
    );
  });
});

describe('MesUsersService in OS Group mode (the caller carries its groups)', () => {
  const OPERATORS_SID = 'S-1-5-21-3623811015-3361044348-30300820-1101';
  const SUPERVISORS_SID = 'S-1-5-21-3623811015-3361044348-30300820-1102';
  const adGroup = async (desc: string): Promise<number> => {
    const [row] = await ds.query<{ grp_id: number }[]>(
      'SELECT grp_id FROM grp_name WHERE grp_desc = ?',
      [desc],
    );
    return Number(row.grp_id);
  };

  it('groupsWithSids finds the AD groups (auth_method 2) of the SIDs, sorted, any case', async () => {
    const [operators, supervisors] = [
      await adGroup('AD Operators'),
      await adGroup('AD Supervisors'),
    ];
    await expect(users.groupsWithSids([OPERATORS_SID])).resolves.toEqual([operators]);
    await expect(
      users.groupsWithSids([SUPERVISORS_SID.toLowerCase(), OPERATORS_SID, 'S-1-5-32-544']),
    ).resolves.toEqual([operators, supervisors].sort((a, b) => a - b));
    await expect(users.groupsWithSids(['S-1-5-32-544'])).resolves.toEqual([]);
    await expect(users.groupsWithSids([])).resolves.toEqual([]);
  });

  it('groupsWithSids ignores a group with the SID whose auth_method is not 2', async () => {
    await ds.query(
      `INSERT INTO grp_name (grp_desc, auth_method, sid) VALUES ('Native with SID', 0, 'S-1-5-21-1-2-3-4')`,
    );
    await expect(users.groupsWithSids(['S-1-5-21-1-2-3-4'])).resolves.toEqual([]);
  });

  it('privileges and entity access follow the given groups, not user_grp_link', async () => {
    const operators = { userId: 'mes\\supervisor', groups: [await adGroup('AD Operators')] };
    const supervisors = { userId: 'mes\\operator', groups: [await adGroup('AD Supervisors')] };
    await expect(users.groupsOf(operators)).resolves.toEqual(operators.groups);
    await expect(users.hasPrivilege(operators, MesPrivilege.EditMasterData)).resolves.toBe(false);
    await expect(users.hasPrivilege(operators, MesPrivilege.RunJobs)).resolves.toBe(true);
    await expect(users.hasPrivilege(supervisors, MesPrivilege.EditMasterData)).resolves.toBe(true);
    await expect(users.canAccessEntity(operators, 5)).resolves.toBe(true);
    await expect(users.canAccessEntity(operators, 8)).resolves.toBe(false);
    await expect(users.canAccessEntity(supervisors, 8)).resolves.toBe(true);
    await expect(users.accessibleEntityIds(operators)).resolves.toEqual(new Set([3, 4, 5, 6, 7]));
    // No groups: nothing, without a query.
    const none = { userId: 'mes\\supervisor', groups: [] };
    await expect(users.privilegesOf(none)).resolves.toEqual(new Map());
    await expect(users.accessibleEntityIds(none)).resolves.toEqual(new Set());
    await expect(users.canAccessEntity(none, 5)).resolves.toBe(false);
  });

  it('createGroupUser creates an active AD-group user once, stamped by itself', async () => {
    const before = Date.now() - 1000;
    await expect(users.createGroupUser('mes\\adfirst')).resolves.toBe(true);
    await expect(users.createGroupUser('MES\\ADFirst')).resolves.toBe(false); // exists (NOCASE)
    const rows = await ds.query<Record<string, unknown>[]>(
      `SELECT user_id, active, auth_method, last_edit_by, last_edit_at, mod_id FROM user_name WHERE user_id = 'mes\\adfirst'`,
    );
    expect(rows).toEqual([
      {
        user_id: 'mes\\adfirst',
        active: 1,
        auth_method: 2,
        last_edit_by: 'mes\\adfirst',
        last_edit_at: expect.any(String),
        mod_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
    expect(Date.parse(`${String(rows[0].last_edit_at)}Z`)).toBeGreaterThanOrEqual(before);
    await expect(users.findActiveUser('mes\\adfirst')).resolves.toMatchObject({ authMethod: 2 });
  });

  it('createGroupUser never reactivates an existing (inactive) user', async () => {
    await expect(users.createGroupUser('mes\\former')).resolves.toBe(false);
    await expect(users.findUser('mes\\former')).resolves.toMatchObject({ active: false });
  });

  it('createGroupUser refuses an id no MES user can have', async () => {
    await expect(users.createGroupUser('x'.repeat(41))).rejects.toMatchObject({
      code: MesErrorCode.UserNotFound,
    });
  });
});

describe('SystemAttributesService', () => {
  it('get reads attribute 199, the background user', async () => {
    await expect(attrs.get(BACKGROUND_USER_ATTR_ID)).resolves.toMatchObject({
      attrId: 199,
      attrDesc: 'User ID for background tasks',
      attrValue: 'Default Background User',
      lastEditBy: 'system',
    });
    await expect(attrs.get(424242)).resolves.toBeNull();
  });

  it('list returns every attribute ordered by id', async () => {
    const list = await attrs.list();
    expect(list.map((a) => a.attrId)).toEqual([100, 105, 110, 120, 199]);
  });

  it('set changes the value and stamps last_edit_by and last_edit_at', async () => {
    const before = Date.now();
    const row = await attrs.set(110, '30', 'mes\\supervisor');
    const updated = toSystemAttribute(row);
    expect(updated).toMatchObject({ attrId: 110, attrValue: '30', lastEditBy: 'mes\\supervisor' });
    expect(updated.lastEditAt).toBeInstanceOf(Date);
    expect(updated.lastEditAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(updated.lastEditAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    const [stored] = await ds.query(
      `SELECT attr_value, last_edit_by FROM system_attr WHERE attr_id = 110`,
    );
    expect(stored).toEqual({ attr_value: '30', last_edit_by: 'mes\\supervisor' });
    await expect(attrs.get(110)).resolves.toEqual(updated);
  });

  it('set throws entityNotFound for a missing attribute and creates nothing', async () => {
    const error = await attrs.set(424242, 'x', 'mes\\supervisor').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MesError);
    expect((error as MesError).code).toBe(MesErrorCode.EntityNotFound);
    await expect(attrs.get(424242)).resolves.toBeNull();
  });

  it('set rejects a value longer than the column', async () => {
    const error = await attrs.set(110, 'x'.repeat(81), 'mes\\supervisor').catch((e: unknown) => e);
    expect((error as MesError).code).toBe(MesErrorCode.ValidationFailed);
  });
});
