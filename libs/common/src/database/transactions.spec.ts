import { DataSource } from 'typeorm';
import { MesError } from '../errors/mes-error';
import { MesErrorCode } from '../errors/error-codes';
import { isBusyError, runInTransaction } from './transactions';

describe('runInTransaction on SQLite (one shared connection)', () => {
  let ds: DataSource;

  beforeEach(async () => {
    ds = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    await ds.initialize();
    await ds.query('CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)');
    await ds.query('INSERT INTO counter (id, n) VALUES (1, 0)');
  });

  afterEach(async () => {
    await ds.destroy();
  });

  const read = async (): Promise<number> =>
    Number((await ds.query<Array<{ n: number }>>('SELECT n FROM counter WHERE id = 1'))[0].n);

  it('runs overlapping transactions one after the other: no lost read-modify-write', async () => {
    await Promise.all(
      Array.from({ length: 50 }, () =>
        runInTransaction(ds, async (em) => {
          const rows: Array<{ n: number }> = await em.query('SELECT n FROM counter WHERE id = 1');
          await new Promise((r) => setImmediate(r));
          await em.query('UPDATE counter SET n = ? WHERE id = 1', [rows[0].n + 1]);
        }),
      ),
    );
    expect(await read()).toBe(50);
  });

  it('rolls back a failed transaction without disturbing the next ones', async () => {
    const results = await Promise.allSettled([
      runInTransaction(ds, async (em) => {
        await em.query('UPDATE counter SET n = n + 100 WHERE id = 1');
        throw MesError.businessRule('refused');
      }),
      runInTransaction(ds, (em) => em.query('UPDATE counter SET n = n + 1 WHERE id = 1')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(await read()).toBe(1);
  });

  it('retries a busy database, then answers 503 without the driver error', async () => {
    let calls = 0;
    await expect(
      runInTransaction(ds, () => {
        calls++;
        if (calls < 3)
          return Promise.reject(
            Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }),
          );
        return Promise.resolve('done');
      }),
    ).resolves.toBe('done');

    const always = runInTransaction(ds, () =>
      Promise.reject(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })),
    );
    await expect(always).rejects.toMatchObject({
      code: MesErrorCode.DatabaseUnavailable,
      detail: 'The database is busy; try the request again.',
    });
  });

  it('tells busy errors from others', () => {
    expect(isBusyError({ code: 'SQLITE_BUSY' })).toBe(true);
    expect(isBusyError({ driverError: { code: 'SQLITE_LOCKED' } })).toBe(true);
    expect(isBusyError({ number: 1205 })).toBe(true);
    expect(isBusyError({ code: 'SQLITE_CONSTRAINT' })).toBe(false);
    expect(isBusyError(null)).toBe(false);
    expect(isBusyError('SQLITE_BUSY')).toBe(false);
  });
});
