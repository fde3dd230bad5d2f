import { MesError } from '../errors/mes-error';
import { MssqlLike, MssqlMesDb, MssqlPoolLike } from './mssql-db';
import { insertReturningId, sql, T, top, limit } from './statement';

/*
 * The SQL Server path without a server: MssqlMesDb against a recording stand-in for the `mssql`
 * package, checking what it asks the driver to do (text, typed parameters, transactions,
 * savepoints, deadlock retries). Nothing here proves SQL Server accepts the text; the golden
 * files hold the text itself.
 */

type Call = { on: string; text: string; inputs: Array<[string, unknown, unknown]> };

function fakeMssql(
  script: (text: string, on: string) => { recordset?: unknown[]; rowsAffected?: number[] } | Error,
) {
  const calls: Call[] = [];
  const log: string[] = [];
  let transactions = 0;
  class Transaction {
    readonly id = `tx${++transactions}`;
    private listeners: Array<(aborted: boolean) => void> = [];
    constructor(readonly pool: unknown) {}
    begin(level?: number) {
      log.push(`${this.id} begin ${level}`);
      return Promise.resolve(this);
    }
    commit() {
      log.push(`${this.id} commit`);
      return Promise.resolve();
    }
    rollback() {
      log.push(`${this.id} rollback`);
      return Promise.resolve();
    }
    on(_event: 'rollback', listener: (aborted: boolean) => void) {
      this.listeners.push(listener);
      return this;
    }
  }
  class Request {
    private readonly inputs: Array<[string, unknown, unknown]> = [];
    constructor(readonly parent: { id?: string }) {}
    input(name: string, type: unknown, value: unknown) {
      this.inputs.push([name, type, value]);
      return this;
    }
    query(text: string) {
      const on = this.parent.id ?? 'pool';
      calls.push({ on, text, inputs: this.inputs });
      const answer = script(text, on);
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve({
        recordset: answer.recordset ?? [],
        rowsAffected: answer.rowsAffected ?? [0],
      });
    }
  }
  const mssql = {
    Int: 'Int',
    Float: 'Float',
    DateTime: 'DateTime',
    NVarChar: (length?: number) => `NVarChar(${length})`,
    MAX: -1,
    ISOLATION_LEVEL: { READ_COMMITTED: 4096 },
    Request,
    Transaction,
  } as unknown as MssqlLike;
  return { mssql, calls, log };
}

const pool: MssqlPoolLike = { connected: true, close: () => Promise.resolve() };

const byKey = sql<{ ent_id: number }, { entId: number }>(
  'ent.byKey',
  'SELECT ent_id FROM ent WHERE ent_id = @entId',
  {
    entId: T.int,
  },
);
const list = sql<{ ent_id: number }, { name: string; maxRows: number | undefined }>(
  'ent.list',
  (d) => `SELECT ${top(d)}ent_id FROM ent WHERE ent_name = @name ORDER BY ent_id${limit(d)}`,
  { name: T.nvarchar(40), maxRows: T.limit },
);
const insert = sql<{ id: number }, { name: string; at: Date }>(
  'ent.insert',
  (d) => insertReturningId(d, 'ent', ['name', 'at'], 'ent_id'),
  { name: T.nvarchar(40), at: T.datetime },
);

describe('MssqlMesDb (recording driver)', () => {
  it('binds every parameter by name with its declared type; a row limit binds "no limit" as int max', async () => {
    const { mssql, calls } = fakeMssql(() => ({ recordset: [{ ent_id: 5 }] }));
    const db = new MssqlMesDb({ mssql, pool, transactionPool: () => Promise.resolve(pool) });
    await expect(db.auto.db.get(byKey, { entId: 5 })).resolves.toEqual({ ent_id: 5 });
    await db.auto.db.all(list, { name: 'Filler 1', maxRows: undefined });
    expect(calls).toEqual([
      {
        on: 'pool',
        text: 'SELECT ent_id FROM ent WHERE ent_id = @entId',
        inputs: [['entId', 'Int', 5]],
      },
      {
        on: 'pool',
        text: 'SELECT TOP (@maxRows) ent_id FROM ent WHERE ent_name = @name ORDER BY ent_id',
        inputs: [
          ['name', 'NVarChar(40)', 'Filler 1'],
          ['maxRows', 'Int', 2_147_483_647],
        ],
      },
    ]);
  });

  it('a write is one READ COMMITTED transaction on one connection; hooks run after the commit', async () => {
    const { mssql, calls, log } = fakeMssql((text) =>
      text.includes('INSERT INTO') ? { recordset: [{ id: 42 }] } : {},
    );
    const db = new MssqlMesDb({ mssql, pool, transactionPool: () => Promise.resolve(pool) });
    const at = new Date('2026-01-02T03:04:05Z');
    const hook = jest.fn();
    const id = await db.auto.write(async (tx) => {
      const row = await tx.get(insert, { name: 'Roaster', at });
      tx.afterCommit(() => {
        hook(log.slice());
      });
      return row?.id;
    });
    expect(id).toBe(42);
    expect(calls).toEqual([
      {
        on: 'tx1',
        text:
          'DECLARE @inserted TABLE (id int); ' +
          'INSERT INTO ent (name, at) OUTPUT INSERTED.ent_id INTO @inserted VALUES (@name, @at); ' +
          'SELECT id FROM @inserted',
        inputs: [
          ['name', 'NVarChar(40)', 'Roaster'],
          ['at', 'DateTime', at],
        ],
      },
    ]);
    expect(log).toEqual(['tx1 begin 4096', 'tx1 commit']);
    expect(hook).toHaveBeenCalledWith(['tx1 begin 4096', 'tx1 commit']);
  });

  it('a deadlock victim (1205) is run again from the start, then answered 503; other errors roll back once', async () => {
    let attempts = 0;
    const deadlock = Object.assign(new Error('Transaction was deadlocked'), { number: 1205 });
    const { mssql, log } = fakeMssql(() => (++attempts < 3 ? deadlock : {}));
    const db = new MssqlMesDb({ mssql, pool, transactionPool: () => Promise.resolve(pool) });
    await db.auto.write((tx) => tx.run(byKey, { entId: 1 }));
    expect(attempts).toBe(3);
    expect(log).toEqual([
      'tx1 begin 4096',
      'tx1 rollback',
      'tx2 begin 4096',
      'tx2 rollback',
      'tx3 begin 4096',
      'tx3 commit',
    ]);
    const always = fakeMssql(() => deadlock);
    const busy = new MssqlMesDb({
      mssql: always.mssql,
      pool,
      transactionPool: () => Promise.resolve(pool),
    });
    const error = await busy.auto
      .write((tx) => tx.run(byKey, { entId: 1 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MesError);
    expect(error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', headers: { 'Retry-After': '1' } });
    const constraint = fakeMssql(() =>
      Object.assign(new Error('Violation of UNIQUE KEY'), { number: 2627 }),
    );
    const once = new MssqlMesDb({
      mssql: constraint.mssql,
      pool,
      transactionPool: () => Promise.resolve(pool),
    });
    await expect(once.auto.write((tx) => tx.run(byKey, { entId: 1 }))).rejects.toMatchObject({
      number: 2627,
    });
    expect(constraint.log).toEqual(['tx1 begin 4096', 'tx1 rollback']);
  });

  it('an MES transaction runs on its own pool; each call is a savepoint; a failed call rolls back to it', async () => {
    const { mssql, calls, log } = fakeMssql((text) =>
      text.includes('ent_id = @entId')
        ? Object.assign(new Error('CHECK constraint'), { number: 547 })
        : {},
    );
    const txPool: MssqlPoolLike = { connected: true, close: jest.fn(() => Promise.resolve()) };
    const db = new MssqlMesDb({ mssql, pool, transactionPool: () => Promise.resolve(txPool) });
    const tx = await db.begin(1000);
    await tx.context.write((w) => w.run(list, { name: 'x', maxRows: 1 }));
    await expect(tx.context.write((w) => w.run(byKey, { entId: 1 }))).rejects.toMatchObject({
      number: 547,
    });
    await tx.commit();
    expect(calls.map((c) => `${c.on} ${c.text.slice(0, 40)}`)).toEqual([
      'tx1 SAVE TRANSACTION mes_call_1',
      'tx1 SELECT TOP (@maxRows) ent_id FROM ent WH',
      'tx1 SAVE TRANSACTION mes_call_2',
      'tx1 SELECT ent_id FROM ent WHERE ent_id = @e',
      'tx1 ROLLBACK TRANSACTION mes_call_2',
    ]);
    expect(log).toEqual(['tx1 begin 4096', 'tx1 commit']);
    await db.close();
    expect(txPool.close).toHaveBeenCalled();
  });
});
