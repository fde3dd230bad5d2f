import { join } from 'node:path';
import { exportedStatements, renderStatements } from '@mes-web-api/common';
import { expectGolden } from '../../../../test/support/golden';
import * as users from './mes-users.sql';
import * as attributes from './system-attributes.sql';

/*
 * T-SQL golden of every statement of the users lib: no SQL Server runs here, so the SQL Server
 * path is held to the text (and the parameter types) it sends. The SQLite text is tested by
 * running it.
 */
describe('T-SQL of the users lib (golden)', () => {
  it('renders every statement for SQL Server with typed, bound parameters', () => {
    const statements = [...exportedStatements(users), ...exportedStatements(attributes)];
    expect(statements.length).toBeGreaterThanOrEqual(9);
    expectGolden(
      join(__dirname, '__golden__', 'mssql-statements.sql'),
      renderStatements('mssql', statements),
    );
  });

  it('the active-user lookup is one primary-key seek with the user id bound as nvarchar(40)', () => {
    expect(users.userById.text('mssql')).toMatch(/FROM user_name WHERE user_id = @userId$/);
    expect(users.userById.params.userId).toEqual({ kind: 'nvarchar', length: 40 });
    expect(attributes.systemAttrById.text('mssql')).toMatch(/WHERE attr_id = @attrId$/);
    expect(attributes.setSystemAttr.text('mssql')).toBe(
      'UPDATE system_attr SET attr_value = @value, last_edit_by = @lastEditBy, last_edit_at = @lastEditAt WHERE attr_id = @attrId',
    );
  });
});
