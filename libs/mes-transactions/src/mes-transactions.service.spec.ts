import { DbContext, DbTransaction, MesDb, MesError, MesPrincipal } from '@mes-web-api/common';
import { MesTransactions } from './mes-transactions.service';
import { classifyTransactionId, instanceTag, newTransactionId } from './transaction-id';

/** A stand-in database whose transactions record what happened to them. */
function fakeDb() {
  const events: string[] = [];
  let opened = 0;
  const txs: Array<DbTransaction & { fail(): void }> = [];
  const db = {
    begin: jest.fn(() => {
      const id = ++opened;
      let broken = false;
      const context: DbContext = {
        db: {} as DbContext['db'],
        inTransaction: true,
        write: (work) => Promise.resolve(work({} as never)),
      };
      const tx = {
        context,
        get broken() {
          return broken;
        },
        fail: () => (broken = true),
        commit: () => {
          events.push(`commit ${id}`);
          return Promise.resolve();
        },
        rollback: () => {
          events.push(`rollback ${id}`);
          return Promise.resolve();
        },
      };
      txs.push(tx);
      return Promise.resolve(tx);
    }),
  } as unknown as MesDb;
  return { db, events, txs };
}

const operator: MesPrincipal = { userId: 'mes\\operator', mode: 'user' };
const supervisor: MesPrincipal = { userId: 'mes\\supervisor', mode: 'user' };
const scheduler: MesPrincipal = {
  userId: 'Default Background User',
  mode: 'service',
  clientId: 'mes-scheduler',
};
const otherClient: MesPrincipal = {
  userId: 'Default Background User',
  mode: 'service',
  clientId: 'other',
};

function service(options: Partial<ConstructorParameters<typeof MesTransactions>[1]> = {}) {
  const fake = fakeDb();
  const transactions = new MesTransactions(fake.db, { instanceId: 'host:3000', ...options });
  return { ...fake, transactions };
}

const code = (error: unknown) => (error as MesError).code;

describe('transaction ids', () => {
  it('are version 8 GUIDs that name their instance; others are foreign', () => {
    const tag = instanceTag('host:3000');
    const id = newTransactionId(tag);
    expect(id).toMatch(/^[0-9a-f]{8}-4d45-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(classifyTransactionId(id.toUpperCase(), tag)).toEqual({ kind: 'ours', id });
    expect(classifyTransactionId(id, instanceTag('host:3001'))).toMatchObject({
      kind: 'elsewhere',
    });
    expect(classifyTransactionId('c1bec0bd-ce03-4b2c-89e2-8573f11c6d5a', tag)).toEqual({
      kind: 'foreign',
    });
    expect(classifyTransactionId('42', tag)).toEqual({ kind: 'foreign' });
    expect(new Set(Array.from({ length: 1000 }, () => newTransactionId(tag))).size).toBe(1000);
  });
});

describe('MesTransactions', () => {
  afterEach(() => jest.useRealTimers());

  it('runs calls one at a time, in arrival order; commit waits for the calls before it', async () => {
    const { transactions, events } = service();
    const { transId } = await transactions.begin(operator);
    const order: string[] = [];
    const slow = transactions.run(transId, operator, async () => {
      order.push('a start');
      await new Promise((r) => setTimeout(r, 20));
      order.push('a end');
    });
    const fast = transactions.run(transId, operator, () => {
      order.push('b');
      return Promise.resolve();
    });
    const commit = transactions.commit(transId, operator).then(() => order.push('commit'));
    await Promise.all([slow, fast, commit]);
    expect(order).toEqual(['a start', 'a end', 'b', 'commit']);
    expect(events).toEqual(['commit 1']);
    await expect(
      transactions.run(transId, operator, () => Promise.resolve()),
    ).rejects.toMatchObject({
      code: 'TRANSACTION_NOT_FOUND',
    });
  });

  it('belongs to its opener; for anyone else (another user, another service client) it does not exist', async () => {
    const { transactions } = service();
    const { transId } = await transactions.begin(scheduler);
    for (const who of [operator, supervisor, otherClient]) {
      const error = await transactions
        .run(transId, who, () => Promise.resolve())
        .catch((e: unknown) => e);
      expect(code(error)).toBe('TRANSACTION_NOT_FOUND');
      await expect(transactions.rollback(transId, who)).rejects.toMatchObject({
        code: 'TRANSACTION_NOT_FOUND',
      });
    }
    await expect(transactions.run(transId, scheduler, () => Promise.resolve('ok'))).resolves.toBe(
      'ok',
    );
  });

  it('an idle transaction is rolled back after idleTimeoutMs, a busy one after maxLifetimeMs', async () => {
    jest.useFakeTimers();
    const { transactions, events } = service({ idleTimeoutMs: 1000, maxLifetimeMs: 5000 });
    const idle = await transactions.begin(operator);
    const busy = await transactions.begin(supervisor);
    for (let t = 0; t < 4; t++) {
      await jest.advanceTimersByTimeAsync(900);
      await transactions.run(busy.transId, supervisor, () => Promise.resolve());
    }
    expect(events).toEqual(['rollback 1']);
    await expect(
      transactions.run(idle.transId, operator, () => Promise.resolve()),
    ).rejects.toMatchObject({
      code: 'TRANSACTION_NOT_FOUND',
    });
    await jest.advanceTimersByTimeAsync(1500);
    expect(events).toEqual(['rollback 1', 'rollback 2']);
    expect(transactions.stats()).toMatchObject({ open: 0, expired: 2, rolledBack: 2 });
  });

  it('a call still running keeps the idle timer from firing', async () => {
    jest.useFakeTimers();
    const { transactions, events } = service({ idleTimeoutMs: 1000, maxLifetimeMs: 60_000 });
    const { transId } = await transactions.begin(operator);
    let finish!: () => void;
    const call = transactions.run(transId, operator, () => new Promise<void>((r) => (finish = r)));
    await jest.advanceTimersByTimeAsync(3000);
    expect(events).toEqual([]);
    finish();
    await call;
    await jest.advanceTimersByTimeAsync(1001);
    expect(events).toEqual(['rollback 1']);
  });

  it('at most maxOpen are open: then 503 TRANSACTION_LIMIT with Retry-After', async () => {
    const { transactions } = service({ maxOpen: 2 });
    await transactions.begin(operator);
    await transactions.begin(operator);
    const error = await transactions.begin(operator).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TRANSACTION_LIMIT', headers: { 'Retry-After': '5' } });
  });

  it('a failed connection ends the transaction: rolled back, later calls 404', async () => {
    const { transactions, events, txs } = service();
    const { transId } = await transactions.begin(operator);
    const lost = new Error('Connection lost');
    await expect(
      transactions.run(transId, operator, () => {
        txs[0].fail();
        return Promise.reject(lost);
      }),
    ).rejects.toBe(lost);
    expect(events).toEqual(['rollback 1']);
    await expect(
      transactions.run(transId, operator, () => Promise.resolve()),
    ).rejects.toMatchObject({
      code: 'TRANSACTION_NOT_FOUND',
    });
    expect(transactions.stats().open).toBe(0);
  });

  it('shutdown rolls back every open transaction and opens no more', async () => {
    const { transactions, events } = service();
    await transactions.begin(operator);
    await transactions.begin(supervisor);
    await transactions.onApplicationShutdown();
    expect(events.sort()).toEqual(['rollback 1', 'rollback 2']);
    await expect(transactions.begin(operator)).rejects.toMatchObject({ code: 'TRANSACTION_LIMIT' });
  });

  it('an id of another instance is a 421 that says so', async () => {
    const { transactions } = service();
    const foreign = newTransactionId(instanceTag('elsewhere:3000'));
    const error = await transactions
      .run(foreign, operator, () => Promise.resolve())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TRANSACTION_ON_OTHER_INSTANCE' });
    expect((error as MesError).detail).toContain('another instance');
  });
});
