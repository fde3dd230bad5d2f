import { EntityManager } from 'typeorm';
import { mssqlEntityManagerWithoutServer } from '@mes/common';
import { MES_USERS_ENTITIES } from '@mes/mes-users';
import { MES_PLANT_ENTITIES } from '../entities/mes-plant.entities';
import { ShiftSched } from '../entities/shift-sched.entity';
import { shiftScheduleListQuery, stamp } from './shift-schedule.service';

/*
 * T-SQL golden tests of the shift schedule SQL, rendered by TypeORM's mssql driver from metadata
 * only (no server), so the SQL Server path is checked on machines without one.
 */

let em: EntityManager;

beforeAll(async () => {
  em = await mssqlEntityManagerWithoutServer([...MES_USERS_ENTITIES, ...MES_PLANT_ENTITIES]);
});

const COLUMNS =
  '"s"."last_edit_comment" AS "s_last_edit_comment", "s"."last_edit_by" AS "s_last_edit_by", ' +
  '"s"."last_edit_at" AS "s_last_edit_at", "s"."shift_sched_id" AS "s_shift_sched_id", ' +
  '"s"."ent_id" AS "s_ent_id", "s"."pattern_id" AS "s_pattern_id", "s"."shift_id" AS "s_shift_id", ' +
  '"s"."shift_name" AS "s_shift_name", "s"."start_offset_min" AS "s_start_offset_min", ' +
  '"s"."duration_min" AS "s_duration_min", "s"."days_mask" AS "s_days_mask"';

describe('T-SQL of the shift schedules', () => {
  it('GetAll: access through the user groups, bound filters, OFFSET/FETCH for max_rows', () => {
    const [sql, params] = shiftScheduleListQuery(
      em,
      "mes\\operator' --",
      { entId: 3, patternId: 1 },
      5,
    ).getQueryAndParameters();
    expect(sql).toBe(
      `SELECT ${COLUMNS} FROM "shift_sched" "s" WHERE EXISTS (SELECT 1 FROM "grp_ent_link" "gel" ` +
        'INNER JOIN "user_grp_link" "ugl" ON "ugl"."grp_id" = "gel"."grp_id" WHERE "gel"."ent_id" = "s"."ent_id" ' +
        'AND "ugl"."user_id" = @0 AND "gel"."accss" <> 0) AND "s"."ent_id" = @1 AND "s"."pattern_id" = @2 ' +
        'ORDER BY "s"."shift_sched_id" ASC OFFSET 0 ROWS FETCH NEXT 5 ROWS ONLY',
    );
    expect(params).toEqual(["mes\\operator' --", 3, 1]);
  });

  it('a write stamps last_edit_by / last_edit_at as bound parameters (whole seconds)', () => {
    const at = new Date('2026-11-25T12:34:56.789Z');
    const [sql, params] = em
      .createQueryBuilder()
      .update(ShiftSched)
      .set({ shiftName: 'Night', ...stamp('mes\\supervisor', at) })
      .where({ shiftSchedId: 7 })
      .getQueryAndParameters();
    expect(sql).toBe(
      'UPDATE "shift_sched" SET "shift_name" = @0, "last_edit_by" = @1, "last_edit_at" = @2 WHERE "shift_sched_id" = @3',
    );
    const typed = params.map((p: unknown) => {
      if (p === null || typeof p !== 'object') return p;
      const { type, value } = p as { type?: unknown; value?: unknown };
      return { type, value };
    });
    expect(typed).toEqual([
      { type: 'nvarchar', value: 'Night' },
      { type: 'nvarchar', value: 'mes\\supervisor' },
      { type: 'datetime', value: new Date('2026-11-25T12:34:56.000Z') },
      7,
    ]);
  });
});
