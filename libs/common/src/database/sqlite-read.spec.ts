import { AbstractLogger, DataSource, LogLevel, LogMessage } from 'typeorm';
import type { LoggerOptions } from 'typeorm/logger/LoggerOptions';
import { hotReadQuery } from './sqlite-read';

/** TypeORM's own filtering (the `logging` setting), recording what passes it. */
class RecordingLogger extends AbstractLogger {
  readonly records: Array<{ type?: string; message: unknown }> = [];

  protected writeLog(
    _level: LogLevel,
    message: LogMessage | string | number | (LogMessage | string | number)[],
  ): void {
    for (const m of Array.isArray(message) ? message : [message]) {
      this.records.push(
        typeof m === 'object' ? { type: m.type, message: m.message } : { message: m },
      );
    }
  }
}

const SQL = 'SELECT id, name FROM thing WHERE id = ?';
const COLUMNS = ['id', 'name'];

async function sqlite(logging: LoggerOptions = false): Promise<DataSource> {
  const logger = new RecordingLogger(logging);
  const ds = new DataSource({ type: 'better-sqlite3', database: ':memory:', logging, logger });
  await ds.initialize();
  await ds.query('CREATE TABLE thing (id int PRIMARY KEY, name text NOT NULL)');
  await ds.query(`INSERT INTO thing (id, name) VALUES (1, 'one'), (2, 'two')`);
  return ds;
}

describe('hotReadQuery', () => {
  it('runs a prepared statement on the SQLite connection synchronously, with fresh data each call', async () => {
    const ds = await sqlite();
    try {
      const query = jest.spyOn(ds, 'query');
      const read = hotReadQuery(ds, SQL, COLUMNS);
      const rows = read([2]);
      expect(rows).toEqual([[2, 'two']]);
      expect(read([3])).toEqual([]);
      await ds.query(`UPDATE thing SET name = 'TWO' WHERE id = 2`);
      expect(read([2])).toEqual([[2, 'TWO']]);
      expect(query).toHaveBeenCalledTimes(1); // only the UPDATE above
    } finally {
      await ds.destroy();
    }
  });

  it('answers the values DataSource.query answers, in the order of the columns asked for', async () => {
    const ds = await sqlite();
    try {
      const read = hotReadQuery(ds, SQL, ['name', 'id']);
      for (const id of [1, 2, 3]) {
        const rows = await ds.query<Array<{ id: number; name: string }>>(SQL, [id]);
        expect(read([id])).toEqual(rows.map((r) => [r.name, r.id]));
      }
    } finally {
      await ds.destroy();
    }
  });

  it('follows the connection when the data source is closed and initialised again', async () => {
    const ds = await sqlite();
    const read = hotReadQuery(ds, 'SELECT 41 + ? AS n', ['n']);
    expect(read([1])).toEqual([[42]]);
    await ds.destroy();
    expect(() => read([1])).toThrow(/not open/);
    await ds.initialize();
    try {
      expect(read([2])).toEqual([[43]]);
    } finally {
      await ds.destroy();
    }
  });

  it('refuses a column the query does not return, naming it', async () => {
    const ds = await sqlite();
    try {
      expect(() => hotReadQuery(ds, SQL, ['id', 'colour'])([1])).toThrow(/"colour"/);
    } finally {
      await ds.destroy();
    }
  });

  it('lets a driver error through with its SQLite code', async () => {
    const ds = await sqlite();
    try {
      const read = hotReadQuery(ds, 'SELECT * FROM thing WHERE id = ?', COLUMNS);
      expect(read([1])).toEqual([[1, 'one']]);
      await ds.query('DROP TABLE thing');
      expect(() => read([1])).toThrow(expect.objectContaining({ code: 'SQLITE_ERROR' }));
    } finally {
      await ds.destroy();
    }
  });

  it("with logging: ['error'] (the app's setting) runs directly and logs a failed query", async () => {
    const ds = await sqlite(['error']);
    try {
      const query = jest.spyOn(ds, 'query');
      const read = hotReadQuery(ds, 'SELECT * FROM thing WHERE id = ?', COLUMNS);
      expect(read([1])).toEqual([[1, 'one']]);
      expect(query).not.toHaveBeenCalled();
      await ds.query('DROP TABLE thing');
      expect(() => read([1])).toThrow(/no such table/);
      const records = (ds.logger as RecordingLogger).records;
      expect(records.filter((r) => r.type === 'query')).toEqual([]);
      expect(records).toContainEqual({
        type: 'query-error',
        message: 'SELECT * FROM thing WHERE id = ?',
      });
    } finally {
      await ds.destroy();
    }
  });

  it('logs the query, as TypeORM does, when query logging is on', async () => {
    const ds = await sqlite(true);
    try {
      const records = (ds.logger as RecordingLogger).records;
      records.length = 0;
      const rows = hotReadQuery(ds, SQL, COLUMNS)([1]);
      expect(rows).toEqual([[1, 'one']]);
      expect(records).toContainEqual({ type: 'query', message: SQL });
    } finally {
      await ds.destroy();
    }
  });
});
