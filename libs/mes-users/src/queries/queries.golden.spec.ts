import { EntityManager } from 'typeorm';
import { mssqlEntityManagerWithoutServer } from '@mes/common';
import { MES_USERS_ENTITIES } from '../entities/mes-users.entities';
import {
  activeUserQuery,
  entityAccessQuery,
  groupsOfQuery,
  privilegesOfQuery,
  privilegeValueQuery,
} from './mes-users.queries';
import { setSystemAttrQuery, systemAttrQuery } from './system-attributes.queries';

/*
 * T-SQL golden tests: the SQL Server path has no server here, so the key queries are rendered by
 * TypeORM's mssql driver (metadata only, no connection) and compared with the expected text.
 */

let em: EntityManager;

beforeAll(async () => {
  em = await mssqlEntityManagerWithoutServer(MES_USERS_ENTITIES);
});

describe('T-SQL of the users lib', () => {
  it('findActiveUser: one primary-key query, bound user id, no credential columns', () => {
    const [sql, params] = activeUserQuery(em, 'mes\\operator').getQueryAndParameters();
    expect(sql).toBe(
      'SELECT "u"."user_id" AS "u_user_id", "u"."user_desc" AS "u_user_desc", "u"."active" AS "u_active", ' +
        '"u"."email_address" AS "u_email_address", "u"."lang_id" AS "u_lang_id", "u"."auth_method" AS "u_auth_method" ' +
        'FROM "user_name" "u" WHERE "u"."user_id" = @0 AND "u"."active" = 1',
    );
    expect(params).toEqual(['mes\\operator']);
  });

  it('reads system attribute 199 by key', () => {
    const [sql, params] = systemAttrQuery(em, 199).getQueryAndParameters();
    expect(sql).toBe(
      'SELECT "a"."attr_id" AS "a_attr_id", "a"."attr_desc" AS "a_attr_desc", "a"."attr_value" AS "a_attr_value", ' +
        '"a"."grp_id" AS "a_grp_id", "a"."attr_seq" AS "a_attr_seq", "a"."edit_type" AS "a_edit_type", ' +
        '"a"."last_edit_by" AS "a_last_edit_by", "a"."last_edit_at" AS "a_last_edit_at" ' +
        'FROM "system_attr" "a" WHERE "a"."attr_id" = @0',
    );
    expect(params).toEqual([199]);
  });

  it('updates a system attribute stamping last_edit_by and last_edit_at', () => {
    const at = new Date('2025-01-02T03:04:05.678Z');
    const [sql, params] = setSystemAttrQuery(
      em,
      199,
      'mes\\supervisor',
      'mes\\supervisor',
      at,
    ).getQueryAndParameters();
    expect(sql).toBe(
      'UPDATE "system_attr" SET "attr_value" = @0, "last_edit_by" = @1, "last_edit_at" = @2 WHERE "attr_id" = @3',
    );
    // mssql typed parameters: nvarchar(80) / nvarchar(40) like the columns, datetime (whole seconds).
    expect(JSON.parse(JSON.stringify(params))).toEqual([
      { value: 'mes\\supervisor', type: 'nvarchar', params: ['80'] },
      { value: 'mes\\supervisor', type: 'nvarchar', params: ['40'] },
      { value: '2025-01-02T03:04:05.000Z', type: 'datetime', params: [] },
      199,
    ]);
  });

  it('privileges: max over the user groups', () => {
    expect(privilegesOfQuery(em, 'u1').getQueryAndParameters()).toEqual([
      'SELECT "gpl"."priv_id" AS "priv_id", MAX("gpl"."priv_value") AS "priv_value" FROM "grp_priv_link" "gpl" ' +
        'INNER JOIN "user_grp_link" "ugl" ON "ugl"."grp_id" = "gpl"."grp_id" WHERE "ugl"."user_id" = @0 ' +
        'GROUP BY "gpl"."priv_id"',
      ['u1'],
    ]);
    expect(privilegeValueQuery(em, 'u1', 3).getQueryAndParameters()).toEqual([
      'SELECT MAX("gpl"."priv_value") AS "priv_value" FROM "grp_priv_link" "gpl" ' +
        'INNER JOIN "user_grp_link" "ugl" ON "ugl"."grp_id" = "gpl"."grp_id" WHERE "ugl"."user_id" = @0 ' +
        'AND "gpl"."priv_id" = @1',
      ['u1', 3],
    ]);
  });

  it('entity access: groups with accss set', () => {
    expect(entityAccessQuery(em, 'u1', 5).getQueryAndParameters()).toEqual([
      'SELECT DISTINCT "gel"."ent_id" AS "ent_id" FROM "grp_ent_link" "gel" ' +
        'INNER JOIN "user_grp_link" "ugl" ON "ugl"."grp_id" = "gel"."grp_id" WHERE "ugl"."user_id" = @0 ' +
        'AND "gel"."accss" <> 0 AND "gel"."ent_id" = @1',
      ['u1', 5],
    ]);
    expect(groupsOfQuery(em, 'u1').getQueryAndParameters()).toEqual([
      'SELECT "ugl"."grp_id" AS "grp_id" FROM "user_grp_link" "ugl" WHERE "ugl"."user_id" = @0 ORDER BY "ugl"."grp_id" ASC',
      ['u1'],
    ]);
  });
});
