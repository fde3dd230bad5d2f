import { EntityManager } from 'typeorm';
import { mssqlEntityManagerWithoutServer } from '@mes/common';
import { MES_USERS_ENTITIES } from '@mes/mes-users';
import { MES_PLANT_ENTITIES } from '../entities/mes-plant.entities';
import { EntByKeyReader, entListQuery } from './ent.queries';

/*
 * T-SQL golden tests of the entity reads: rendered by TypeORM's mssql driver from metadata only
 * (no server), so the SQL Server path is checked on machines without one.
 */

let em: EntityManager;

beforeAll(async () => {
  em = await mssqlEntityManagerWithoutServer([...MES_USERS_ENTITIES, ...MES_PLANT_ENTITIES]);
});

const ENT_COLUMNS =
  '"e"."last_edit_comment" AS "e_last_edit_comment", "e"."last_edit_by" AS "e_last_edit_by", ' +
  '"e"."last_edit_at" AS "e_last_edit_at", "e"."ent_id" AS "e_ent_id", "e"."ent_name" AS "e_ent_name", ' +
  '"e"."description" AS "e_description", "e"."parent_ent_id" AS "e_parent_ent_id", ' +
  '"e"."can_sched_jobs" AS "e_can_sched_jobs", "e"."can_run_jobs" AS "e_can_run_jobs", ' +
  '"e"."can_capture_util" AS "e_can_capture_util", "e"."can_capture_labor" AS "e_can_capture_labor", ' +
  '"e"."can_track_oee" AS "e_can_track_oee", "e"."can_sched_shifts" AS "e_can_sched_shifts", ' +
  '"e"."can_store" AS "e_can_store", "e"."can_log_data" AS "e_can_log_data", "e"."can_ship" AS "e_can_ship", ' +
  '"e"."can_receive" AS "e_can_receive", "e"."spare1" AS "e_spare1", "e"."spare2" AS "e_spare2", ' +
  '"e"."mod_id" AS "e_mod_id"';

describe('T-SQL of the entity reads', () => {
  it('GetByKey: one primary-key seek with a bound id', () => {
    expect(new EntByKeyReader(em).sql).toBe(
      `SELECT ${ENT_COLUMNS} FROM "ent" "e" WHERE "e"."ent_id" = @0`,
    );
  });

  it('GetAll / GetByFilter: access through the user groups, bound filters, OFFSET/FETCH for max_rows', () => {
    const [sql, params] = entListQuery(
      em,
      'mes\\operator',
      { parentEntId: 3, canRunJobs: true, entName: "x' OR 1=1 --" },
      10,
    ).getQueryAndParameters();
    expect(sql).toBe(
      `SELECT ${ENT_COLUMNS} FROM "ent" "e" WHERE EXISTS (SELECT 1 FROM "grp_ent_link" "gel" ` +
        'INNER JOIN "user_grp_link" "ugl" ON "ugl"."grp_id" = "gel"."grp_id" WHERE "gel"."ent_id" = "e"."ent_id" ' +
        'AND "ugl"."user_id" = @0 AND "gel"."accss" <> 0) AND "e"."ent_name" = @1 AND "e"."parent_ent_id" = @2 ' +
        'AND "e"."can_run_jobs" = @3 ORDER BY "e"."ent_id" ASC OFFSET 0 ROWS FETCH NEXT 10 ROWS ONLY',
    );
    expect(params).toEqual(['mes\\operator', "x' OR 1=1 --", 3, 1]);
  });
});
