import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { isLeanAsyncResourceBind, leanAsyncResourceBind } from './async-resource-bind';

describe('leanAsyncResourceBind', () => {
  beforeAll(() => leanAsyncResourceBind());

  it('is installed where node defines asyncResource through accessors (node 20)', () => {
    const major = Number(process.versions.node.split('.')[0]);
    if (major === 20) expect(isLeanAsyncResourceBind()).toBe(true);
    leanAsyncResourceBind(); // a second call changes nothing
  });

  it('runs the function in the async context the resource was made in', async () => {
    const storage = new AsyncLocalStorage<string>();
    const bound = storage.run('at creation', () =>
      new AsyncResource('test').bind(() => storage.getStore()),
    );
    const seen = await storage.run(
      'at call',
      () => new Promise((r) => setImmediate(() => r(bound()))),
    );
    expect(seen).toBe('at creation');
  });

  it('passes the arguments and the result, keeps the caller’s this without thisArg and uses thisArg with it', () => {
    const resource = new AsyncResource('test');
    function f(this: unknown, a: number, b: number): [unknown, number] {
      return [this, a + b];
    }
    const bound = resource.bind(f);
    const receiver = { bound };
    expect(receiver.bound(1, 2)).toEqual([receiver, 3]);
    const fixed = { fixed: true };
    const bindWith = resource.bind.bind(resource) as (fn: typeof f, thisArg: unknown) => typeof f;
    expect(bindWith(f, fixed)(2, 3)).toEqual([fixed, 5]);
    expect(bound.length).toBe(2);
    expect((bound as unknown as { asyncResource: AsyncResource }).asyncResource).toBe(resource);
  });

  it('propagates a thrown error', () => {
    const bound = new AsyncResource('test').bind(() => {
      throw new Error('inside');
    });
    expect(() => bound()).toThrow('inside');
  });
});
