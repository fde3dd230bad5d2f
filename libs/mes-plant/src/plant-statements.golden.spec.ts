import { join } from 'node:path';
import { exportedStatements, renderStatements } from '@mes-web-api/common';
import { expectGolden } from '../../../test/support/golden';
import * as ent from './ent/ent.sql';
import * as item from './item/item.sql';
import * as jobs from './jobs/jobs.sql';
import * as shifts from './shifts/shifts.sql';
import * as wo from './wo/wo.sql';

/*
 * T-SQL golden of every statement of the plant lib (families in a no-filter and an all-filter
 * shape): the SQL Server path is held to the text and parameter types it sends.
 */
describe('T-SQL of the plant lib (golden)', () => {
  const statements = [
    ...exportedStatements(ent, { entList: [[], ent.ENT_FILTER_COLUMNS] }),
    ...exportedStatements(item, {
      itemList: [[], item.ITEM_FILTER_COLUMNS],
      updateItem: [item.ITEM_VALUE_COLUMNS],
    }),
    ...exportedStatements(wo, { woList: [[], wo.WO_FILTER_COLUMNS] }),
    ...exportedStatements(jobs, { jobList: [[], jobs.JOB_FILTER_COLUMNS] }),
    ...exportedStatements(shifts, { shiftSchedList: [[], ['ent_id', 'pattern_id']] }),
  ];

  it('renders every statement for SQL Server (golden file)', () => {
    expectGolden(
      join(__dirname, '__golden__', 'mssql-statements.sql'),
      renderStatements('mssql', statements),
    );
  });

  it('never writes a value into the text: every statement uses only @parameters', () => {
    for (const statement of statements) {
      const text = statement.text('mssql');
      // No quoted literals besides the fixed job_history event names.
      expect({ name: statement.name, literals: text.match(/'[^']*'/g) ?? [] }).toEqual({
        name: statement.name,
        literals: [],
      });
    }
  });

  it('row limits: TOP (@maxRows) on SQL Server, LIMIT @maxRows on SQLite', () => {
    const list = ent.entList.user_grp_link.get(['parent_ent_id']);
    expect(list.text('mssql')).toMatch(/^SELECT TOP \(@maxRows\) ent_id,/);
    expect(list.text('sqlite')).toMatch(/ORDER BY e\.ent_id LIMIT @maxRows$/);
    expect(ent.insertEnt.text('mssql')).toMatch(
      /OUTPUT INSERTED\.ent_id INTO @inserted VALUES .*; SELECT id FROM @inserted$/,
    );
    expect(ent.insertEnt.text('sqlite')).toMatch(/RETURNING ent_id AS id$/);
  });

  it('job state changes are a check-and-set on state_cd; production adds atomically', () => {
    // The check-and-set answers the job it moved (none when the state had changed meanwhile).
    expect(jobs.moveJobState.text('mssql')).toContain(
      'OUTPUT 1 INTO @changed WHERE wo_id = @woId AND oper_id = @operId AND seq_no = @seqNo AND state_cd = @fromState;',
    );
    expect(jobs.moveJobState.text('mssql')).toMatch(/IF EXISTS \(SELECT 1 FROM @changed\) SELECT /);
    expect(jobs.moveJobState.text('sqlite')).toMatch(
      /AND state_cd = @fromState\s+RETURNING wo_id, oper_id, seq_no,/,
    );
    expect(jobs.addQtyProd.text('mssql')).toContain('SET qty_prod = qty_prod + @qty');
    expect(jobs.addQtyProd.params.qty).toEqual({ kind: 'float' });
  });

  it("the caller's groups: user_grp_link by @userId (OS User), the token's @groups as JSON (OS Group)", () => {
    const lists = [ent.entList, jobs.jobList, shifts.shiftSchedList] as const;
    for (const family of lists) {
      const byUser = family.user_grp_link.get([]);
      const byToken = family.token.get([]);
      expect(byUser.text('mssql')).toContain(
        'gel.grp_id IN (SELECT ugl.grp_id FROM user_grp_link ugl WHERE ugl.user_id = @userId)',
      );
      expect(byUser.params).toMatchObject({ userId: { kind: 'nvarchar', length: 40 } });
      expect(byToken.text('mssql')).toContain(
        'gel.grp_id IN (SELECT CAST(value AS int) FROM OPENJSON(@groups))',
      );
      expect(byToken.text('sqlite')).toContain(
        'gel.grp_id IN (SELECT value FROM json_each(@groups))',
      );
      expect(byToken.text('mssql')).not.toContain('user_grp_link');
      expect(byToken.paramNames).not.toContain('userId');
      expect(byToken.params).toMatchObject({ groups: { kind: 'nvarchar', length: 'max' } });
    }
    // Each variant is one statement, prepared once: the same object on every call.
    expect(ent.entList.for({ userId: 'u', groups: [3] }).get(['ent_id'])).toBe(
      ent.entList.token.get(['ent_id']),
    );
    expect(ent.entList.for({ userId: 'u' })).toBe(ent.entList.user_grp_link);
  });
});
