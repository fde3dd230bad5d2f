import { EntityManager } from 'typeorm';
import { mssqlEntityManagerWithoutServer } from '@mes/common';
import { MES_USERS_ENTITIES } from '@mes/mes-users';
import { MES_PLANT_ENTITIES } from '../entities/mes-plant.entities';
import {
  addQtyProdQuery,
  claimJobPositionQuery,
  jobFilterQuery,
  moveJobStateQuery,
  releaseJobPositionsQuery,
} from './job-queries';

/*
 * T-SQL golden tests of the job writes that carry the concurrency guarantees, rendered by
 * TypeORM's mssql driver from metadata only (no server).
 */

let em: EntityManager;

beforeAll(async () => {
  em = await mssqlEntityManagerWithoutServer([...MES_USERS_ENTITIES, ...MES_PLANT_ENTITIES]);
});

/** Bound values, unwrapping the typed MssqlParameter TypeORM uses for SET values. */
function values(params: unknown[]): unknown[] {
  return params.map((p) => (p !== null && typeof p === 'object' && 'value' in p ? p.value : p));
}

const key = { woId: "WO-1001'--", operId: 'OP20', seqNo: 0 };
const now = new Date('2026-01-02T03:04:05.678Z');

describe('T-SQL of the job writes', () => {
  it('state change: check-and-set on the state read, stamped', () => {
    const [sql, params] = moveJobStateQuery(em, key, 2, {
      stateCd: 3,
      lastEditBy: 'mes\\operator',
      lastEditAt: now,
    }).getQueryAndParameters();
    expect(sql).toBe(
      'UPDATE "job" SET "state_cd" = @0, "last_edit_by" = @1, "last_edit_at" = @2 ' +
        'WHERE "wo_id" = @3 AND "oper_id" = @4 AND "seq_no" = @5 AND "state_cd" = @6',
    );
    expect(values(params)).toEqual([3, 'mes\\operator', now, "WO-1001'--", 'OP20', 0, 2]);
  });

  it('production: an atomic increment of qty_prod, only on a running job', () => {
    const [sql, params] = addQtyProdQuery(em, key, 2.5, 'svc', now, 5).getQueryAndParameters();
    expect(sql).toBe(
      'UPDATE "job" SET "qty_prod" = "qty_prod" + @0, "last_edit_by" = @1, "last_edit_at" = @2 ' +
        'WHERE "wo_id" = @3 AND "oper_id" = @4 AND "seq_no" = @5 AND "state_cd" = @6 AND "run_ent_id" = @7',
    );
    expect(values(params)).toEqual([2.5, 'svc', now, "WO-1001'--", 'OP20', 0, 3, 5]);
  });

  it('job position: claimed only while idle, released by job', () => {
    const [claim, claimParams] = claimJobPositionQuery(
      em,
      7,
      0,
      key,
      'u',
      now,
    ).getQueryAndParameters();
    expect(claim).toBe(
      'UPDATE "job_exec" SET "cur_wo_id" = @0, "cur_oper_id" = @1, "cur_seq_no" = @2, "cur_user_id" = @3, ' +
        '"last_edit_by" = @4, "last_edit_at" = @5 WHERE "ent_id" = @6 AND "job_pos" = @7 AND "cur_wo_id" IS NULL',
    );
    expect(values(claimParams)).toEqual(["WO-1001'--", 'OP20', 0, 'u', 'u', now, 7, 0]);
    const [release] = releaseJobPositionsQuery(em, key, 'u', now).getQueryAndParameters();
    expect(release).toBe(
      'UPDATE "job_exec" SET "cur_wo_id" = @0, "cur_oper_id" = @1, "cur_seq_no" = @2, "cur_user_id" = @3, ' +
        '"last_edit_by" = @4, "last_edit_at" = @5 WHERE "cur_wo_id" = @6 AND "cur_oper_id" = @7 AND "cur_seq_no" = @8',
    );
  });

  it('GetByFilter: bound filters, entity access, OFFSET/FETCH for max_rows', () => {
    const [sql, params] = jobFilterQuery(
      em,
      { stateCd: 3, runEntId: 5 },
      { maxRows: 10, accessibleEntIds: new Set([5, 6]) },
    ).getQueryAndParameters();
    expect(sql).toMatch(/^SELECT .* FROM "job" "job" WHERE /);
    expect(sql.slice(sql.indexOf(' WHERE '))).toBe(
      ' WHERE "job"."state_cd" = @0 AND "job"."run_ent_id" = @1 AND ("job"."run_ent_id" IS NULL AND ' +
        '"job"."target_ent_id" IS NULL OR COALESCE("job"."run_ent_id", "job"."target_ent_id") IN (@2, @3)) ' +
        'ORDER BY "job"."wo_id" ASC, "job"."oper_id" ASC, "job"."seq_no" ASC OFFSET 0 ROWS FETCH NEXT 10 ROWS ONLY',
    );
    expect(params).toEqual([3, 5, 5, 6]);
  });
});
