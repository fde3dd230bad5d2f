import { INestApplicationContext } from '@nestjs/common';
import { MesError, MesErrorCode } from '@mes-web-api/common';
import { BackgroundUserService } from '@mes-web-api/background-user';
import { SystemAttributesService } from '@mes-web-api/mes-users';
import {
  readAttr199,
  seed,
  setAttr199,
  startInstance,
  tempDbPath,
} from './background-user.fixtures';

/** The module alone in a bare Nest app, on a real SQLite database, in-memory cache. */
describe('background user on a real SQLite database (in-memory cache)', () => {
  const TTL = 3_600_000;
  let db: ReturnType<typeof tempDbPath>;
  let app: INestApplicationContext;
  let service: BackgroundUserService;
  let now: number;

  beforeEach(async () => {
    db = tempDbPath();
    now = Date.UTC(2025, 5, 1, 12, 0, 0);
    app = await startInstance(db.path, { ttlMs: TTL, clock: () => now });
    await seed(app);
    service = app.get(BackgroundUserService);
  });

  afterEach(async () => {
    await app.close();
    db.cleanup();
  });

  it('resolves the demo background user from attribute 199', async () => {
    await expect(service.current()).resolves.toMatchObject({ userId: 'Default Background User' });
    await expect(service.status()).resolves.toMatchObject({
      configuredUserId: 'Default Background User',
      valid: true,
      cache: 'memory',
      cacheHealthy: true,
    });
  });

  it('a change through the service is written, stamped and effective at once', async () => {
    await service.current();
    const before = Date.now();
    const saved = await service.changeBackgroundUser('mes\\operator', 'mes\\supervisor');
    expect(saved).toMatchObject({
      attr_id: 199,
      attr_value: 'mes\\operator',
      last_edit_by: 'mes\\supervisor',
    });
    const row = await readAttr199(app);
    expect(row).toMatchObject({ attrValue: 'mes\\operator', lastEditBy: 'mes\\supervisor' });
    expect(row?.lastEditAt?.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    await expect(service.current()).resolves.toMatchObject({ userId: 'mes\\operator' });
  });

  it.each(['nobody', 'mes\\former', ''])(
    'refuses %p with 400 and leaves the row alone',
    async (value) => {
      const error: unknown = await service
        .changeBackgroundUser(value, 'mes\\supervisor')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MesError);
      expect((error as MesError).code).toBe(MesErrorCode.ValidationFailed);
      await expect(readAttr199(app)).resolves.toMatchObject({
        attrValue: 'Default Background User',
        lastEditBy: null,
      });
    },
  );

  it('a change made directly in the database shows after the TTL, not before', async () => {
    const get = jest.spyOn(app.get(SystemAttributesService), 'get');
    await service.current();
    await setAttr199(app, 'mes\\former');
    now += TTL - 1_000;
    await expect(service.current()).resolves.toMatchObject({ userId: 'Default Background User' });
    expect(get).toHaveBeenCalledTimes(1);
    now += 1_000;
    const error: unknown = await service.current().catch((e: unknown) => e);
    expect((error as MesError).code).toBe(MesErrorCode.BackgroundUserInvalid);
    expect((error as MesError).detail).toContain('"mes\\former", which is not active');
  });

  it('100 simultaneous calls on a cold cache read the database once', async () => {
    const get = jest.spyOn(app.get(SystemAttributesService), 'get');
    await Promise.all(Array.from({ length: 100 }, () => service.current()));
    expect(get).toHaveBeenCalledTimes(1);
  });

  it('a missing attribute row gives the named 403', async () => {
    await setAttr199(app, null);
    const error: unknown = await service.current().catch((e: unknown) => e);
    expect((error as MesError).code).toBe(MesErrorCode.BackgroundUserInvalid);
    expect((error as MesError).detail).toContain(
      'System attribute 199 (User ID for background tasks) is empty',
    );
  });
});
