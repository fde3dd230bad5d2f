import { randomUUID } from 'node:crypto';
import { INestApplicationContext, Logger } from '@nestjs/common';
import { createClient } from '@keyv/redis';
import { BackgroundUserService } from '@mes-web-api/background-user';
import { SystemAttributesService } from '@mes-web-api/mes-users';
import {
  CuttableProxy,
  readAttr199,
  redisForTests,
  seed,
  startInstance,
  tempDbPath,
  waitFor,
} from './background-user.fixtures';

const redis = redisForTests();
const describeWithRedis = redis.url ? describe : describe.skip;
if (!redis.url) {
  console.warn(
    `SKIPPED: background-user Redis suites (two instances sharing Redis, Redis outage and recovery): ${redis.why}. Set REDIS_URL or start Redis on 127.0.0.1:6379 to run them.`,
  );
}

/** Several "API instances" (Nest contexts) sharing one Redis and one SQLite database. */
describeWithRedis(`background user shared through Redis (${redis.why})`, () => {
  const redisUrl = redis.url ?? '';
  let db: ReturnType<typeof tempDbPath>;
  let namespace: string;
  const apps: INestApplicationContext[] = [];
  const proxies: CuttableProxy[] = [];

  async function instance(url = redisUrl): Promise<INestApplicationContext> {
    const app = await startInstance(db.path, { redisUrl: url, redisNamespace: namespace });
    apps.push(app);
    return app;
  }

  async function proxied(): Promise<{ app: INestApplicationContext; proxy: CuttableProxy }> {
    const target = new URL(redisUrl);
    const proxy = new CuttableProxy(target.hostname, Number(target.port || 6379));
    await proxy.start();
    proxies.push(proxy);
    return { app: await instance(proxy.urlFor(redisUrl)), proxy };
  }

  beforeEach(async () => {
    db = tempDbPath();
    namespace = `mes-bgu-test-${randomUUID()}`;
    await seed(await instance());
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    for (const proxy of proxies.splice(0)) await proxy.cut();
    const client = createClient({ url: redisUrl });
    await client.connect();
    const keys = await client.keys(`${namespace}::*`);
    if (keys.length > 0) await client.del(keys);
    await client.close();
    db.cleanup();
  });

  it('stores namespaced keys, and a second instance is served from Redis without a DB read', async () => {
    const [a] = apps;
    const b = await instance();
    await expect(a.get(BackgroundUserService).current()).resolves.toMatchObject({
      userId: 'Default Background User',
    });
    const bReads = jest.spyOn(b.get(SystemAttributesService), 'get');
    await expect(b.get(BackgroundUserService).current()).resolves.toMatchObject({
      userId: 'Default Background User',
    });
    expect(bReads).not.toHaveBeenCalled();

    const client = createClient({ url: redisUrl });
    await client.connect();
    try {
      expect(await client.exists(`${namespace}::background-user:current`)).toBe(1);
    } finally {
      await client.close();
    }
    await expect(b.get(BackgroundUserService).status()).resolves.toMatchObject({
      cache: 'redis',
      cacheHealthy: true,
      valid: true,
    });
  });

  it('a change through instance A is what instance B returns on its very next call', async () => {
    const [a] = apps;
    const b = await instance();
    await b.get(BackgroundUserService).current();
    await a.get(BackgroundUserService).changeBackgroundUser('mes\\operator', 'mes\\supervisor');
    await expect(b.get(BackgroundUserService).current()).resolves.toMatchObject({
      userId: 'mes\\operator',
    });
    await expect(readAttr199(a)).resolves.toMatchObject({ lastEditBy: 'mes\\supervisor' });
  });

  it('keeps serving from the database while Redis is down, warns once, and recovers', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      const [a] = apps;
      const { app: c, proxy } = await proxied();
      const service = c.get(BackgroundUserService);
      await expect(service.current()).resolves.toMatchObject({ userId: 'Default Background User' });

      await proxy.cut();
      for (let i = 0; i < 20; i += 1) {
        await expect(service.current()).resolves.toMatchObject({
          userId: 'Default Background User',
        });
      }
      await expect(service.status()).resolves.toMatchObject({ valid: true, cacheHealthy: false });
      const warnings = warn.mock.calls
        .map((call) => String(call[0]))
        .filter((m) => m.includes('background-user cache'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).not.toContain(String(proxy.port));

      // A change on a healthy instance is visible at once: the cut instance reads the database.
      await a.get(BackgroundUserService).changeBackgroundUser('mes\\operator', 'mes\\supervisor');
      await expect(service.current()).resolves.toMatchObject({ userId: 'mes\\operator' });

      await proxy.restore();
      await waitFor(async () => (await service.status()).cacheHealthy, 10_000, 'cache recovery');
      expect(log).toHaveBeenCalledWith(expect.stringContaining('available again'));
      const reads = jest.spyOn(c.get(SystemAttributesService), 'get');
      await expect(service.current()).resolves.toMatchObject({ userId: 'mes\\operator' });
      await expect(service.current()).resolves.toMatchObject({ userId: 'mes\\operator' });
      expect(reads.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });

  it('a change made while this instance had no Redis reaches the others when Redis returns', async () => {
    const [a] = apps;
    await a.get(BackgroundUserService).current(); // the shared cache holds the old user
    const { app: c, proxy } = await proxied();
    await c.get(BackgroundUserService).current();
    await proxy.cut();
    await c.get(BackgroundUserService).changeBackgroundUser('mes\\operator', 'mes\\supervisor');
    await expect(c.get(BackgroundUserService).current()).resolves.toMatchObject({
      userId: 'mes\\operator',
    });
    await proxy.restore();
    await waitFor(
      async () => (await a.get(BackgroundUserService).current()).userId === 'mes\\operator',
      10_000,
      'the pending invalidation to be published',
    );
  });

  it('closes promptly when Redis is unreachable', async () => {
    const { app: c, proxy } = await proxied();
    await proxy.cut();
    await c.get(BackgroundUserService).current();
    const started = Date.now();
    apps.splice(apps.indexOf(c), 1);
    await c.close();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('starts and serves when Redis is down from the start', async () => {
    const target = new URL(redisUrl);
    const proxy = new CuttableProxy(target.hostname, Number(target.port || 6379));
    await proxy.start();
    const url = proxy.urlFor(redisUrl);
    await proxy.cut();
    proxies.push(proxy);
    const c = await instance(url);
    await expect(c.get(BackgroundUserService).current()).resolves.toMatchObject({
      userId: 'Default Background User',
    });
    await expect(c.get(BackgroundUserService).status()).resolves.toMatchObject({
      cacheHealthy: false,
    });
  });
});
