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
    expect(statements.length).toBeGreaterThanOrEqual(14);
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

  it('OS Group mode: the SID lookup binds the SIDs as one JSON array (OPENJSON), AD groups only', () => {
    expect(users.groupsWithSids.text('mssql')).toBe(
      'SELECT grp_id FROM grp_name WHERE auth_method = 2 AND sid IN (SELECT CAST(value AS nvarchar(68)) FROM OPENJSON(@sids)) ORDER BY grp_id',
    );
    expect(users.groupsWithSids.params.sids).toEqual({ kind: 'nvarchar', length: 'max' });
    expect(users.groupsWithSids.text('sqlite')).toContain(
      'sid COLLATE NOCASE IN (SELECT value FROM json_each(@sids))',
    );
  });

  it('OS Group mode: the first-login user is inserted only if missing, under a key-range lock', () => {
    expect(users.insertGroupUser.text('mssql')).toBe(
      'INSERT INTO user_name (user_id, active, auth_method, last_edit_comment, last_edit_by, last_edit_at, mod_id) ' +
        'SELECT @userId, 1, 2, @lastEditComment, @userId, @lastEditAt, @modId ' +
        'WHERE NOT EXISTS (SELECT 1 FROM user_name WITH (UPDLOCK, HOLDLOCK) WHERE user_id = @userId)',
    );
    expect(users.insertGroupUser.text('sqlite')).not.toContain('UPDLOCK');
    expect(users.insertGroupUser.params.userId).toEqual({ kind: 'nvarchar', length: 40 });
  });

  it("privileges and entity access: user_grp_link by @userId, or the token's @groups", () => {
    expect(users.privilegesOfCaller.user_grp_link.text('mssql')).toContain(
      'WHERE gpl.grp_id IN (SELECT ugl.grp_id FROM user_grp_link ugl WHERE ugl.user_id = @userId)',
    );
    expect(users.privilegesOfCaller.token.text('mssql')).toContain(
      'WHERE gpl.grp_id IN (SELECT CAST(value AS int) FROM OPENJSON(@groups))',
    );
    expect(users.canAccessEntity.token.paramNames).toEqual(['groups', 'entId']);
    expect(users.canAccessEntity.user_grp_link.paramNames).toEqual(['userId', 'entId']);
  });
});
