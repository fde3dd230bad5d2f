import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MesError } from '../errors/mes-error';
import {
  binderFor,
  positionalSql,
  rowBuilder,
  SqliteConnectionLike,
  SqliteMesDb,
} from './sqlite-db';
import { sql, T } from './statement';

/* SqliteMesDb on real SQLite files: what readers see, how writers wait, what transactions keep. */

const valueOf = sql<{ v: string }, { k: number }>('kv.get', 'SELECT v FROM kv WHERE k = @k', {
  k: T.int,
});
const all = sql<{ k: number; v: string }>('kv.all', 'SELECT k, v FROM kv ORDER BY k');
const put = sql<never, { k: number; v: string }>(
  'kv.put',
  'INSERT INTO kv (k, v) VALUES (@k, @v) ON CONFLICT (k) DO UPDATE SET v = excluded.v',
  { k: T.int, v: T.nvarchar(40) },
);
const at = sql<{ at: string }, { at: Date }>('kv.at', 'SELECT @at AS at', { at: T.datetime });

function open(path: string, busyTimeout = 0): SqliteConnectionLike {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${busyTimeout}`);
  return db;
}

describe('SqliteMesDb', () => {
  let dir: string;
  let path: string;
  let reader: SqliteConnectionLike;
  let db: SqliteMesDb;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mes-sqlite-db-'));
    path = join(dir, 'db.sqlite');
    reader = open(path, 5000);
    reader.exec('CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    db = new SqliteMesDb({ reader, open: () => open(path), writeWaitMs: 300 });
  });
  afterEach(async () => {
    await db.close();
    reader.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds parameters by position, a parameter used twice twice, and answers rows as better-sqlite3 builds them', async () => {
    const twice = sql<{ a: number; b: string; c: number }, { x: number; y: string }>(
      'kv.twice',
      'SELECT @x AS a, @y AS b, @x + 1 AS c, 1 AS a',
      { x: T.int, y: T.nvarchar(10) },
    );
    const row = db.auto.db.get(twice, { x: 41, y: 'é@y' });
    // A repeated column name keeps its last value and its first place, as better-sqlite3 does.
    const plain = reader.prepare('SELECT 41 AS a, ? AS b, 42 AS c, 1 AS a').get('é@y');
    expect(row).toEqual(plain);
    expect(Object.keys(row as object)).toEqual(Object.keys(plain as object));
    expect(db.auto.db.all(all, {})).toEqual([]);
    await db.auto.write((tx) => tx.run(put, { k: 1, v: 'one' }));
    expect(db.auto.db.all(all, {})).toEqual([{ k: 1, v: 'one' }]);
  });

  it('get in a write answers the first row; a write with RETURNING changes every row it names', async () => {
    await db.auto.write(async (tx) => {
      for (const k of [1, 2, 3]) await tx.run(put, { k, v: 'old' });
    });
    const renameAll = sql<{ k: number; v: string }, { v: string }>(
      'kv.renameAll',
      'UPDATE kv SET v = @v RETURNING k, v',
      { v: T.nvarchar(10) },
    );
    const none = sql<{ k: number }, { k: number }>('kv.none', 'SELECT k FROM kv WHERE k = @k', {
      k: T.int,
    });
    const [first, missing] = await db.auto.write(
      async (tx) => [await tx.get(renameAll, { v: 'new' }), await tx.get(none, { k: 9 })] as const,
    );
    expect(first).toEqual({ k: expect.any(Number) as number, v: 'new' });
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
    expect(missing).toBeUndefined();
    expect(db.auto.db.all(all, {})).toEqual([
      { k: 1, v: 'new' },
      { k: 2, v: 'new' },
      { k: 3, v: 'new' },
    ]);
    // Outside a write, get is the first of the kept rows of the same statement.
    expect(db.auto.db.get(all, {})).toEqual({ k: 1, v: 'new' });
  });

  it('reads synchronously, binds dates as the UTC text SQLite keeps', () => {
    expect(db.auto.db.all(all, {})).toEqual([]);
    expect(db.auto.db.get(at, { at: new Date('2026-07-01T10:00:00.250Z') })).toEqual({
      at: '2026-07-01 10:00:00.250',
    });
  });

  it.each([
    ['the WAL-index header of the -shm file', true],
    ['the read connection counters', false],
  ])(
    'keeps read results while the database is unchanged; any commit, here or elsewhere, drops them at once (checked by %s)',
    async (_how, withFile) => {
      const checked = new SqliteMesDb({
        reader,
        open: () => open(path),
        writeWaitMs: 300,
        file: withFile ? path : undefined,
      });
      try {
        await checked.auto.write((tx) => tx.run(put, { k: 1, v: 'a' }));
        expect(checked.auto.db.get(valueOf, { k: 1 })).toEqual({ v: 'a' });
        expect(checked.auto.db.get(valueOf, { k: 1 })).toEqual({ v: 'a' });
        expect(checked.stats()).toMatchObject({ readCacheHits: 1 });
        const kept = checked.auto.db.get(valueOf, { k: 1 });
        expect(Object.isFrozen(kept)).toBe(true);
        // A write through the API (the write connection commits).
        await checked.auto.write((tx) => tx.run(put, { k: 1, v: 'b' }));
        expect(checked.auto.db.get(valueOf, { k: 1 })).toEqual({ v: 'b' });
        // Another process (another connection) commits, in the same turn as the read.
        const other = new Database(path);
        other.prepare('UPDATE kv SET v = ? WHERE k = 1').run('c');
        other.close();
        expect(checked.auto.db.get(valueOf, { k: 1 })).toEqual({ v: 'c' });
        // The read connection itself writes (a test, a migration).
        reader.exec("UPDATE kv SET v = 'd' WHERE k = 1");
        expect(checked.auto.db.get(valueOf, { k: 1 })).toEqual({ v: 'd' });
        // And a hit again once nothing moves.
        const hits = checked.stats().readCacheHits;
        void checked.auto.db.get(valueOf, { k: 1 });
        expect(checked.stats().readCacheHits).toBe(hits + 1);
      } finally {
        await checked.close();
      }
    },
  );

  it('a write that fails is rolled back whole and its afterCommit hooks never run', async () => {
    const hook = jest.fn();
    await expect(
      db.auto.write(async (tx) => {
        await tx.run(put, { k: 1, v: 'a' });
        tx.afterCommit(hook);
        throw new Error('rule');
      }),
    ).rejects.toThrow('rule');
    expect(db.auto.db.all(all, {})).toEqual([]);
    expect(hook).not.toHaveBeenCalled();
    await db.auto.write((tx) => {
      tx.afterCommit(hook);
      return tx.run(put, { k: 2, v: 'b' });
    });
    expect(hook).toHaveBeenCalledTimes(1);
  });

  it('writers take turns through the write gate; readers never see an uncommitted row', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = db.auto.write(async (tx) => {
      await tx.run(put, { k: 1, v: 'first' });
      await gate;
      return 'first';
    });
    const second = db.auto.write(async (tx) => {
      await tx.run(put, { k: 1, v: 'second' });
      return 'second';
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(db.stats().writersWaiting).toBe(1);
    expect(db.auto.db.all(all, {})).toEqual([]);
    release();
    await expect(Promise.all([first, second])).resolves.toEqual(['first', 'second']);
    expect(db.auto.db.get(valueOf, { k: 1 })).toEqual({ v: 'second' });
  });

  describe('group commit: the writes of one event-loop turn share one COMMIT', () => {
    const setIf = sql<never, { k: number; from: string; to: string }>(
      'kv.cas',
      'UPDATE kv SET v = @to WHERE k = @k AND v = @from',
      { k: T.int, from: T.nvarchar(40), to: T.nvarchar(40) },
    );

    it('answers every write only after the COMMIT; readers see none of them before it', async () => {
      const writes = [1, 2, 3, 4, 5].map((k) =>
        db.auto.write((tx) => tx.run(put, { k, v: `v${k}` })),
      );
      let answered = 0;
      for (const w of writes) void w.then(() => answered++);
      await Promise.resolve();
      expect(answered).toBe(0);
      expect(db.auto.db.all(all, {})).toEqual([]);
      await Promise.all(writes);
      expect(db.auto.db.all(all, {})).toHaveLength(5);
      expect(db.stats()).toMatchObject({ writesCommitted: 5, commits: 1 });
      // The next turn's writes take a new COMMIT.
      await db.auto.write((tx) => tx.run(put, { k: 6, v: 'v6' }));
      expect(db.stats()).toMatchObject({ writesCommitted: 6, commits: 2 });
    });

    it('a write that fails is undone alone and answers its error; the others commit', async () => {
      const ok1 = db.auto.write((tx) => tx.run(put, { k: 1, v: 'a' }));
      const bad = db.auto.write(async (tx) => {
        await tx.run(put, { k: 2, v: 'undone' });
        throw new Error('rule');
      });
      const ok2 = db.auto.write((tx) => tx.run(put, { k: 3, v: 'c' }));
      await expect(bad).rejects.toThrow('rule');
      await Promise.all([ok1, ok2]);
      expect(db.auto.db.all(all, {})).toEqual([
        { k: 1, v: 'a' },
        { k: 3, v: 'c' },
      ]);
    });

    it('each write sees the writes before it: check-and-set succeeds once', async () => {
      await db.auto.write((tx) => tx.run(put, { k: 1, v: 'a' }));
      const changes = await Promise.all(
        [0, 1, 2].map((i) =>
          db.auto.write((tx) => tx.run(setIf, { k: 1, from: 'a', to: `b${i}` })),
        ),
      );
      expect(changes.map((r) => r.changes)).toEqual([1, 0, 0]);
      expect(db.auto.db.get(valueOf, { k: 1 })).toEqual({ v: 'b0' });
    });

    it('a write that waits (I/O) holds the COMMIT back; the writes after it wait their turn', async () => {
      let release!: () => void;
      const io = new Promise<void>((r) => (release = r));
      const slow = db.auto.write(async (tx) => {
        await tx.run(put, { k: 1, v: 'slow' });
        await io;
        return 'slow';
      });
      const next = db.auto.write((tx) => tx.run(put, { k: 2, v: 'next' }));
      await new Promise((r) => setTimeout(r, 20));
      expect(db.auto.db.all(all, {})).toEqual([]);
      release();
      await expect(slow).resolves.toBe('slow');
      await next;
      expect(db.auto.db.all(all, {})).toHaveLength(2);
    });

    it('a COMMIT that fails refuses every write of the group and keeps none', async () => {
      reader.exec(
        'CREATE TABLE child (id INTEGER PRIMARY KEY, k INTEGER REFERENCES kv (k) DEFERRABLE INITIALLY DEFERRED)',
      );
      const orphan = sql<never, { id: number; k: number }>(
        'child.put',
        'INSERT INTO child (id, k) VALUES (@id, @k)',
        { id: T.int, k: T.int },
      );
      const fk = new SqliteMesDb({
        reader,
        open: () => {
          const c = open(path);
          c.exec('PRAGMA foreign_keys = ON');
          return c;
        },
        writeWaitMs: 300,
      });
      try {
        const fine = fk.auto.write((tx) => tx.run(put, { k: 1, v: 'a' }));
        const breaking = fk.auto.write((tx) => tx.run(orphan, { id: 1, k: 99 }));
        // (SqliteError may come from another test file's realm in a shared jest worker: matched
        // by its message, not with toThrow, which needs an Error of this realm.)
        const foreignKey = { message: expect.stringMatching(/FOREIGN KEY/) as unknown };
        await expect(fine).rejects.toMatchObject(foreignKey);
        await expect(breaking).rejects.toMatchObject(foreignKey);
        expect(fk.auto.db.all(all, {})).toEqual([]);
        await fk.auto.write((tx) => tx.run(put, { k: 2, v: 'after' }));
        expect(fk.auto.db.all(all, {})).toEqual([{ k: 2, v: 'after' }]);
      } finally {
        await fk.close();
      }
    });
  });

  it('an MES transaction holds the write lock: its reads see its writes, others read the committed data, writers wait their bounded time then 503', async () => {
    await db.auto.write((tx) => tx.run(put, { k: 1, v: 'committed' }));
    const tx = await db.begin(300);
    await tx.context.write((w) => w.run(put, { k: 1, v: 'pending' }));
    expect(await tx.context.db.get(valueOf, { k: 1 })).toEqual({ v: 'pending' });
    expect(db.auto.db.get(valueOf, { k: 1 })).toEqual({ v: 'committed' });
    const started = Date.now();
    const blocked = await db.auto
      .write((w) => w.run(put, { k: 2, v: 'x' }))
      .catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(MesError);
    expect(blocked).toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      headers: { 'Retry-After': '1' },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await expect(db.begin(50)).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    await tx.commit();
    expect(db.auto.db.get(valueOf, { k: 1 })).toEqual({ v: 'pending' });
    await db.auto.write((w) => w.run(put, { k: 2, v: 'after' }));
  });

  it('a call that fails inside an MES transaction is undone by its savepoint; the rest stays', async () => {
    const tx = await db.begin(300);
    await tx.context.write((w) => w.run(put, { k: 1, v: 'kept' }));
    await expect(
      tx.context.write(async (w) => {
        await w.run(put, { k: 2, v: 'undone' });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await tx.commit();
    expect(db.auto.db.all(all, {})).toEqual([{ k: 1, v: 'kept' }]);
    const rolledBack = await db.begin(300);
    await rolledBack.context.write((w) => w.run(put, { k: 3, v: 'gone' }));
    await rolledBack.rollback();
    expect(db.auto.db.all(all, {})).toEqual([{ k: 1, v: 'kept' }]);
  });

  it('MES transactions one after another share one connection; a broken one is not kept', async () => {
    const opened: SqliteConnectionLike[] = [];
    const counted = new SqliteMesDb({
      reader,
      open: () => {
        const connection = open(path);
        opened.push(connection);
        return connection;
      },
      writeWaitMs: 300,
    });
    try {
      for (let i = 0; i < 5; i++) {
        const tx = await counted.begin(300);
        await tx.context.write((w) => w.run(put, { k: i, v: `t${i}` }));
        await (i % 2 === 0 ? tx.commit() : tx.rollback());
      }
      expect(counted.auto.db.all(all, {})).toEqual([
        { k: 0, v: 't0' },
        { k: 2, v: 't2' },
        { k: 4, v: 't4' },
      ]);
      expect(opened).toHaveLength(1);
      // A transaction whose connection was lost is broken: its connection is not kept.
      const lost = await counted.begin(300);
      opened[0].close();
      expect(lost.broken).toBe(true);
      await lost.rollback();
      const next = await counted.begin(300);
      await next.rollback();
      expect(opened).toHaveLength(2);
    } finally {
      await counted.close();
    }
    expect(opened.every((c) => !c.open)).toBe(true);
  });

  it('another process holding the write lock: the write retries without blocking the event loop, then 503', async () => {
    const holder = new Database(path);
    holder.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      const error = await db.auto
        .write((w) => w.run(put, { k: 1, v: 'x' }))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      expect(ticks).toBeGreaterThan(10);
    } finally {
      clearInterval(timer);
      holder.exec('ROLLBACK');
      holder.close();
    }
    await db.auto.write((w) => w.run(put, { k: 1, v: 'ok' }));
    expect(db.auto.db.get(valueOf, { k: 1 })).toEqual({ v: 'ok' });
  });

  it('close() rolls back open transactions', async () => {
    const tx = await db.begin(300);
    await tx.context.write((w) => w.run(put, { k: 9, v: 'open' }));
    await db.close();
    expect(db.auto.db.all(all, {})).toEqual([]);
    expect(tx.broken).toBe(true);
  });
});

describe('positional statements', () => {
  it("turns the statement's own @parameters into ? in order, leaving other @text alone", () => {
    expect(
      positionalSql('SELECT @a, @ab, @a, @other FROM t WHERE x = @b', ['a', 'ab', 'b']),
    ).toEqual({ sql: 'SELECT ?, ?, ?, @other FROM t WHERE x = ?', order: ['a', 'ab', 'a', 'b'] });
    // Inside quotes nothing is a parameter, as SQLite reads it.
    expect(
      positionalSql(`SELECT '@a', 'it''s @a', "@a", [@a], @a FROM t WHERE y = 'x@b'`, ['a', 'b']),
    ).toEqual({
      sql: `SELECT '@a', 'it''s @a', "@a", [@a], ? FROM t WHERE y = 'x@b'`,
      order: ['a'],
    });
  });

  it('binds each ? from its parameter, as SQLite takes it (names that are not identifiers too)', () => {
    const bind = binderFor(
      ['a', 'when', 'a', 'flag', 'n', 'odd "name\\', 'rows'],
      [T.int, T.datetime, T.int, T.int, T.nvarchar(10), T.int, T.limit],
    );
    const when = new Date(Date.UTC(2026, 6, 1, 10, 0, 0, 250));
    expect(bind({ a: 7, when, flag: true, n: null, 'odd "name\\': 3 })).toEqual([
      7,
      '2026-07-01 10:00:00.250',
      7,
      1,
      null,
      3,
      -1, // an absent row limit: no limit
    ]);
    expect(bind({ a: undefined, when: null, flag: false, n: 'x', rows: 5 })).toEqual([
      null,
      null,
      null,
      0,
      'x',
      null,
      5,
    ]);
    expect(binderFor([], [])({ unused: 1 })).toEqual([]);
  });

  it('builds row objects with the columns in order; __proto__ is an own column, not the prototype', () => {
    expect(rowBuilder(['a', 'b c', 'a'])([1, 2, 3])).toEqual({ a: 3, 'b c': 2 });
    const odd = rowBuilder(['__proto__', 'x'])(['p', 1]) as Record<string, unknown>;
    expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(odd, '__proto__')?.value).toBe('p');
    expect(odd.x).toBe(1);
  });
});
