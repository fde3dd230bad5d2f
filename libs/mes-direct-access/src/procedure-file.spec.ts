import { isVolatileSql, parseProcedureFile, ProcedureFileError } from './procedure-file';

describe('DirectAccess procedure files (SQLite)', () => {
  it('reads the description, the typed parameters with their defaults, and one statement', () => {
    const file = parseProcedureFile(
      '/p/sp_SA_demo.sql',
      [
        '-- What it does.',
        '-- @param ent_id int',
        '-- @param note text(20) = null',
        "-- @param kind text(5) = 'a'",
        '-- @param on bool = true',
        '',
        'SELECT :ent_id, :note, :kind, :on, :mes_user_id;',
      ].join('\n'),
    );
    expect(file).toMatchObject({
      name: 'sp_SA_demo',
      description: 'What it does.',
      sql: 'SELECT :ent_id, :note, :kind, :on, :mes_user_id',
    });
    expect(file.params.map((p) => [p.name, p.type, p.required, p.defaultValue])).toEqual([
      ['ent_id', 'int', true, undefined],
      ['note', 'text', false, null],
      ['kind', 'text', false, 'a'],
      ['on', 'bool', false, true],
    ]);
    expect(file.params[1].rule.rule).toBe('at most 20 characters without control characters');
  });

  it.each([
    ['sp bad.sql', 'SELECT 1', 'the file name'],
    ['x.sql', '-- @param a int\nSELECT 1', '@param a is declared but not used'],
    ['x.sql', 'SELECT :b', ':b is used but not declared'],
    ['x.sql', '-- @param a blob\nSELECT :a', 'cannot read the declaration'],
    ['x.sql', '-- @param mes_user_id text\nSELECT :mes_user_id', 'built in'],
    ['x.sql', '-- only a comment', 'no SQL statement'],
  ])('refuses %s (%j): %s', (name, text, message) => {
    expect(() => parseProcedureFile(`/p/${name}`, text)).toThrow(ProcedureFileError);
    expect(() => parseProcedureFile(`/p/${name}`, text)).toThrow(message);
  });

  it('tells the reads whose rows can change while the database does not (clock, random values)', () => {
    expect(isVolatileSql("SELECT * FROM job WHERE last_edit_at > datetime('now', '-1 hour')")).toBe(
      true,
    );
    expect(isVolatileSql('SELECT CURRENT_TIMESTAMP AS t')).toBe(true);
    expect(isVolatileSql('SELECT * FROM job ORDER BY RANDOM()')).toBe(true);
    expect(isVolatileSql('SELECT date("now") AS d')).toBe(true);
    expect(isVolatileSql('SELECT * FROM job WHERE act_start_time_utc > date( )')).toBe(true);
    expect(isVolatileSql("SELECT strftime('%Y-%m-%d') AS d")).toBe(true);
    expect(isVolatileSql('SELECT unixepoch() AS t')).toBe(true);
    expect(isVolatileSql("SELECT strftime('%Y', act_start_time_utc) FROM job")).toBe(false);
    expect(isVolatileSql('SELECT date(act_start_time_utc) FROM job')).toBe(false);
    expect(isVolatileSql('SELECT wo_id, now_qty FROM job WHERE ent_id = :ent_id')).toBe(false);
  });
});
