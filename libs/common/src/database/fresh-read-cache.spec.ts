import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { FreshReadCache } from './fresh-read-cache';
import { mssqlEntityManagerWithoutServer } from './mssql-metadata';
import { hotReadQuery } from './sqlite-read';

type Thing = { id: number; name: string };

async function open(database: string): Promise<DataSource> {
  const ds = new DataSource({ type: 'better-sqlite3', database, prepareDatabase: walMode });
  await ds.initialize();
  return ds;
}

function walMode(db: { pragma(sql: string): unknown }): void {
  db.pragma('journal_mode = WAL');
}

describe('FreshReadCache', () => {
  let dir: string;
  let file: string;
  let ds: DataSource;
  let load: jest.Mock<Thing | null, [number]>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fresh-read-cache-'));
    file = join(dir, 'things.sqlite');
    ds = await open(file);
    await ds.query('CREATE TABLE thing (id int PRIMARY KEY, name text NOT NULL)');
    await ds.query(`INSERT INTO thing (id, name) VALUES (1, 'one'), (2, 'two')`);
    const rows = hotReadQuery(ds, 'SELECT id, name FROM thing WHERE id = ?', ['id', 'name']);
    load = jest.fn((id: number) => {
      const found = rows([id]) as unknown[][];
      return found.length === 0 ? null : { id: found[0][0] as number, name: found[0][1] as string };
    });
  });

  afterEach(async () => {
    if (ds.isInitialized) await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a key again without loading it while the database is unchanged', () => {
    const cache = new FreshReadCache<number, Thing | null>(ds);
    const first = cache.read(1, load);
    expect(first).toEqual({ id: 1, name: 'one' });
    expect(cache.read(1, load)).toBe(first);
    expect(cache.read(2, load)).toEqual({ id: 2, name: 'two' });
    expect(cache.read(2, load)).toEqual({ id: 2, name: 'two' });
    expect(load).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(2);
  });

  it('keeps "not found" too, until a row is inserted', async () => {
    const cache = new FreshReadCache<number, Thing | null>(ds);
    expect(cache.read(3, load)).toBeNull();
    expect(cache.read(3, load)).toBeNull();
    expect(load).toHaveBeenCalledTimes(1);
    await ds.query(`INSERT INTO thing (id, name) VALUES (3, 'three')`);
    expect(cache.read(3, load)).toEqual({ id: 3, name: 'three' });
  });

  it('sees a change made through this connection', async () => {
    const cache = new FreshReadCache<number, Thing | null>(ds);
    expect(cache.read(1, load)).toEqual({ id: 1, name: 'one' });
    await ds.query(`UPDATE thing SET name = 'ONE' WHERE id = 1`);
    expect(cache.read(1, load)).toEqual({ id: 1, name: 'ONE' });
    await ds.query('DELETE FROM thing WHERE id = 1');
    expect(cache.read(1, load)).toBeNull();
  });

  it('sees a commit made by another connection to the same file', async () => {
    const cache = new FreshReadCache<number, Thing | null>(ds);
    const other = await open(file);
    try {
      expect(cache.read(2, load)).toEqual({ id: 2, name: 'two' });
      await other.query(`UPDATE thing SET name = 'TWO' WHERE id = 2`);
      expect(cache.read(2, load)).toEqual({ id: 2, name: 'TWO' });
      expect(cache.read(2, load)).toEqual({ id: 2, name: 'TWO' });
      expect(load).toHaveBeenCalledTimes(2);
      // A change to another row is a change too: everything is read again.
      await other.query(`UPDATE thing SET name = 'uno' WHERE id = 1`);
      expect(cache.read(2, load)).toEqual({ id: 2, name: 'TWO' });
      expect(load).toHaveBeenCalledTimes(3);
    } finally {
      await other.destroy();
    }
  });

  it('keeps nothing inside a transaction, so a rollback is never answered from memory', async () => {
    const cache = new FreshReadCache<number, Thing | null>(ds);
    expect(cache.read(1, load)).toEqual({ id: 1, name: 'one' });
    const runner = ds.createQueryRunner();
    await runner.startTransaction();
    await runner.query(`UPDATE thing SET name = 'uncommitted' WHERE id = 1`);
    // The one connection sees its own uncommitted row; it is not kept.
    expect(cache.read(1, load)).toEqual({ id: 1, name: 'uncommitted' });
    expect(cache.read(1, load)).toEqual({ id: 1, name: 'uncommitted' });
    expect(load).toHaveBeenCalledTimes(3);
    await runner.rollbackTransaction();
    await runner.release();
    expect(cache.read(1, load)).toEqual({ id: 1, name: 'one' });
  });

  it('freezes what it keeps: every caller shares it', () => {
    const cache = new FreshReadCache<number, Thing | null>(ds);
    const thing = cache.read(1, load) as Thing;
    expect(Object.isFrozen(thing)).toBe(true);
    expect(() => {
      thing.name = 'changed';
    }).toThrow(TypeError);
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    await ds.query(`INSERT INTO thing (id, name) VALUES (3, 'three')`);
    const cache = new FreshReadCache<number, Thing | null>(ds, 2);
    for (const id of [1, 2, 3]) expect(cache.read(id, load)).toMatchObject({ id });
    expect(cache.size).toBe(2);
    load.mockClear();
    expect(cache.read(3, load)).toMatchObject({ id: 3 });
    expect(cache.read(2, load)).toMatchObject({ id: 2 });
    expect(load).not.toHaveBeenCalled();
    expect(cache.read(1, load)).toMatchObject({ id: 1 });
    expect(load).toHaveBeenCalledTimes(1);
    expect(() => new FreshReadCache(ds, 0)).toThrow(/maxEntries/);
  });

  it('passes a promise on without keeping it', async () => {
    const cache = new FreshReadCache<number, Thing | null>(ds);
    const later = jest.fn((id: number) => Promise.resolve({ id, name: 'later' }));
    await expect(cache.read(1, later)).resolves.toEqual({ id: 1, name: 'later' });
    await expect(cache.read(1, later)).resolves.toEqual({ id: 1, name: 'later' });
    expect(later).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(0);
  });

  it('on a closed connection lets the load report the problem, and follows a new connection', async () => {
    const cache = new FreshReadCache<number, Thing | null>(ds);
    expect(cache.read(1, load)).toEqual({ id: 1, name: 'one' });
    await ds.destroy();
    expect(() => cache.read(1, load)).toThrow(/not open/);
    await ds.initialize();
    expect(cache.read(1, load)).toEqual({ id: 1, name: 'one' });
    expect(cache.read(1, load)).toEqual({ id: 1, name: 'one' });
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('on any other driver (SQL Server) always loads', async () => {
    const mssql = (await mssqlEntityManagerWithoutServer([])).connection;
    const cache = new FreshReadCache<number, string>(mssql);
    const value = jest.fn((id: number) => `value ${id}`);
    expect(cache.read(1, value)).toBe('value 1');
    expect(cache.read(1, value)).toBe('value 1');
    expect(value).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(0);
  });
});
