import { CACHE_MANAGER, Cache } from '@nestjs/cache-manager';
import { DynamicModule, Injectable, Logger, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { MesError, MesErrorCode } from '@mes-web-api/common';
import {
  MesUser,
  MesUsersModule,
  MesUsersService,
  SystemAttribute,
  SystemAttributesService,
} from '@mes-web-api/mes-users';
import { BackgroundUserModule } from './background-user.module';
import { BackgroundUserService } from './background-user.service';
import {
  BackgroundUserModuleOptions,
  BackgroundUserOptionsFactory,
} from './interfaces/background-user-options.interface';

/** An in-memory stand-in for the two mes-users services, with call counters. */
class FakeMesDb {
  readonly users = new Map<string, MesUser>();
  attr199: string | null | undefined = 'Default Background User';
  attrGets = 0;
  userReads = 0;
  sets: Array<[number, string, string]> = [];
  /** Delay (ms) or a hook to hold the attribute read. */
  attrGate?: Promise<void>;
  failNextRead = false;

  constructor() {
    this.addUser('Default Background User', true);
    this.addUser('mes\\operator', true);
    this.addUser('mes\\former', false);
  }

  addUser(userId: string, active: boolean): void {
    this.users.set(userId, {
      userId,
      userDesc: `${userId} desc`,
      active,
      emailAddress: null,
      langId: null,
      authMethod: 0,
    });
  }

  readonly usersService = {
    findUser: jest.fn(async (userId: string): Promise<MesUser | null> => {
      this.userReads += 1;
      await Promise.resolve();
      return this.users.get(userId) ?? null;
    }),
  };

  readonly attributesService = {
    get: jest.fn(async (attrId: number): Promise<SystemAttribute | null> => {
      this.attrGets += 1;
      if (this.failNextRead) {
        this.failNextRead = false;
        throw new Error('SQLITE_BUSY: database is locked');
      }
      if (this.attrGate) await this.attrGate;
      await new Promise((resolve) => setImmediate(resolve));
      if (attrId !== 199 || this.attr199 === undefined) return null;
      return this.attribute(this.attr199, null);
    }),
    set: jest.fn(
      async (
        attrId: number,
        value: string,
        acting: string,
        _context?: unknown,
        afterCommit?: () => void | Promise<void>,
      ): Promise<SystemAttribute> => {
        await Promise.resolve();
        this.sets.push([attrId, value, acting]);
        this.attr199 = value;
        await afterCommit?.();
        return this.attribute(value, acting);
      },
    ),
  };

  private attribute(value: string | null, lastEditBy: string | null): SystemAttribute {
    return {
      attrId: 199,
      attrDesc: 'User ID for background tasks',
      attrValue: value,
      grpId: null,
      attrSeq: null,
      editType: null,
      lastEditBy,
      lastEditAt: lastEditBy ? new Date() : null,
    };
  }

  module(): DynamicModule {
    @Module({})
    class FakeMesUsersModule {}
    return {
      module: FakeMesUsersModule,
      providers: [
        { provide: MesUsersService, useValue: this.usersService },
        { provide: SystemAttributesService, useValue: this.attributesService },
      ],
      exports: [MesUsersService, SystemAttributesService],
    };
  }
}

const TTL = 60_000;
const FAILURE_TTL = 5_000;

describe('BackgroundUserService (in-memory cache, fake clock)', () => {
  let db: FakeMesDb;
  let now: number;
  let moduleRef: TestingModule;
  let service: BackgroundUserService;

  async function boot(extra: Partial<BackgroundUserModuleOptions> = {}): Promise<void> {
    moduleRef = await Test.createTestingModule({
      imports: [
        BackgroundUserModule.forRoot({
          ttlMs: TTL,
          failureTtlMs: FAILURE_TTL,
          clock: () => now,
          ...extra,
        }),
      ],
    })
      .overrideModule(MesUsersModule)
      .useModule(db.module())
      .compile();
    await moduleRef.init();
    service = moduleRef.get(BackgroundUserService);
  }

  beforeEach(async () => {
    db = new FakeMesDb();
    now = Date.UTC(2025, 0, 1, 8, 0, 0);
    await boot();
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  async function failureOf(promise: Promise<unknown>): Promise<MesError> {
    const error: unknown = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MesError);
    return error as MesError;
  }

  it('returns the validated background user with the time it was loaded', async () => {
    await expect(service.current()).resolves.toEqual({
      userId: 'Default Background User',
      userDesc: 'Default Background User desc',
      loadedAt: new Date(now),
    });
  });

  it('serves a cached value until the TTL ends, then sees a change made in the database', async () => {
    await service.current();
    db.attr199 = 'mes\\operator';
    now += TTL - 1;
    await expect(service.current()).resolves.toMatchObject({ userId: 'Default Background User' });
    expect(db.attrGets).toBe(1);
    now += 1;
    await expect(service.current()).resolves.toMatchObject({ userId: 'mes\\operator' });
    expect(db.attrGets).toBe(2);
  });

  it('loads once for 100 simultaneous calls on a cold cache', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, () => service.current()));
    expect(new Set(results.map((r) => r.userId))).toEqual(new Set(['Default Background User']));
    expect(db.attributesService.get).toHaveBeenCalledTimes(1);
    expect(db.usersService.findUser).toHaveBeenCalledTimes(1);
  });

  it('loads once for 100 simultaneous calls when the cached value has expired', async () => {
    await service.current();
    now += TTL;
    await Promise.all(Array.from({ length: 100 }, () => service.current()));
    expect(db.attrGets).toBe(2);
  });

  describe('invalid configuration: 403 naming attribute 199 and the fix', () => {
    it('attribute missing', async () => {
      db.attr199 = undefined;
      const error = await failureOf(service.current());
      expect(error.code).toBe(MesErrorCode.BackgroundUserInvalid);
      expect(error.detail).toBe(
        'System attribute 199 (User ID for background tasks) is missing from System_Attr: add it with the MES user id that service calls should run as.',
      );
      expect(error.extensions).toEqual({ attr_id: 199, reason: 'attribute-missing' });
    });

    it.each([[null], [''], ['   ']])('attribute empty (%p)', async (value) => {
      db.attr199 = value;
      const error = await failureOf(service.current());
      expect(error.code).toBe(MesErrorCode.BackgroundUserInvalid);
      expect(error.detail).toBe(
        'System attribute 199 (User ID for background tasks) is empty: set it to the user_id of an active MES user that service calls should run as.',
      );
    });

    it('unknown user', async () => {
      db.attr199 = 'nobody';
      const error = await failureOf(service.current());
      expect(error.code).toBe(MesErrorCode.BackgroundUserInvalid);
      expect(error.detail).toBe(
        'System attribute 199 (User ID for background tasks) names the MES user "nobody", which does not exist in user_name: create that user, or set attribute 199 to an existing, active MES user.',
      );
    });

    it('inactive user', async () => {
      db.attr199 = 'mes\\former';
      const error = await failureOf(service.current());
      expect(error.code).toBe(MesErrorCode.BackgroundUserInvalid);
      expect(error.detail).toBe(
        'System attribute 199 (User ID for background tasks) names the MES user "mes\\former", which is not active: reactivate that user, or set attribute 199 to an active MES user.',
      );
    });
  });

  it('keeps a failure only for failureTtlMs, so a fixed configuration works within seconds', async () => {
    db.attr199 = 'mes\\former';
    await failureOf(service.current());
    db.addUser('mes\\former', true);
    now += FAILURE_TTL - 1;
    await failureOf(service.current());
    expect(db.attrGets).toBe(1);
    now += 1;
    await expect(service.current()).resolves.toMatchObject({ userId: 'mes\\former' });
  });

  it('re-checks every failure when failureTtlMs is 0', async () => {
    await moduleRef.close();
    await boot({ failureTtlMs: 0 });
    db.attr199 = 'nobody';
    await failureOf(service.current());
    await failureOf(service.current());
    expect(db.attrGets).toBe(2);
  });

  it('never caches a database error', async () => {
    db.failNextRead = true;
    await expect(service.current()).rejects.toThrow('SQLITE_BUSY');
    await expect(service.current()).resolves.toMatchObject({ userId: 'Default Background User' });
  });

  describe('changeBackgroundUser', () => {
    it('validates, writes with the acting user and takes effect at once', async () => {
      await service.current();
      const saved = await service.changeBackgroundUser(' mes\\operator ', 'mes\\supervisor');
      expect(db.sets).toEqual([[199, 'mes\\operator', 'mes\\supervisor']]);
      expect(saved).toMatchObject({
        attrId: 199,
        attrValue: 'mes\\operator',
        lastEditBy: 'mes\\supervisor',
      });
      await expect(service.current()).resolves.toMatchObject({ userId: 'mes\\operator' });
    });

    it.each([
      ['', 'cannot be empty'],
      ['   ', 'cannot be empty'],
      ['nobody', 'The MES user "nobody" does not exist'],
      ['mes\\former', 'The MES user "mes\\former" is not active'],
    ])('rejects %p with 400 and writes nothing', async (value, text) => {
      const error = await failureOf(service.changeBackgroundUser(value, 'mes\\supervisor'));
      expect(error.code).toBe(MesErrorCode.ValidationFailed);
      expect(error.detail).toContain(text);
      expect(error.detail).toContain('199');
      expect(error.detail).toContain('Nothing was changed.');
      expect(db.sets).toEqual([]);
    });

    it('a load that raced with the change never puts the old user back', async () => {
      let release!: () => void;
      db.attrGate = new Promise<void>((resolve) => (release = resolve));
      const racing = service.current();
      await new Promise((resolve) => setImmediate(resolve));
      db.attrGate = undefined;
      await service.changeBackgroundUser('mes\\operator', 'mes\\supervisor');
      db.attr199 = 'Default Background User'; // what the racing load "saw" before the write
      release();
      await expect(racing).resolves.toMatchObject({ userId: 'Default Background User' });
      db.attr199 = 'mes\\operator';
      await expect(service.current()).resolves.toMatchObject({ userId: 'mes\\operator' });
    });
  });

  it('status() reports the configured user, validity and when it was cached', async () => {
    await expect(service.status()).resolves.toEqual({
      configuredUserId: 'Default Background User',
      valid: true,
      cachedSince: new Date(now).toISOString(),
      cache: 'memory',
      cacheHealthy: true,
    });
    db.attr199 = 'nobody';
    await service.invalidate();
    const status = await service.status();
    expect(status).toMatchObject({ configuredUserId: 'nobody', valid: false, cache: 'memory' });
    expect(status.reason).toContain('attribute 199');
  });

  it('status() says so when the database cannot be read', async () => {
    db.failNextRead = true;
    await expect(service.status()).resolves.toMatchObject({
      configuredUserId: null,
      valid: false,
      reason: expect.stringContaining('could not be read') as unknown,
    });
  });

  it('falls back to the database when the cache hangs, warns once, and recovers', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      const cache = moduleRef.get<Cache>(CACHE_MANAGER, { strict: false });
      const keyv = cache.stores[0];
      const healthyStore: unknown = keyv.store;
      const hanging = new Map();
      const never = (): Promise<never> => new Promise<never>(() => undefined);
      Object.assign(hanging, { get: never, set: never, delete: never, clear: never });
      keyv.store = hanging;
      const started = Date.now();
      await expect(service.current()).resolves.toMatchObject({ userId: 'Default Background User' });
      const afterFirst = Date.now();
      await Promise.all(Array.from({ length: 20 }, () => service.current()));
      // the first call paid the 200 ms timeout; while the circuit is open the rest do not
      expect(Date.now() - afterFirst).toBeLessThan(150);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toContain('unavailable');
      await expect(service.status()).resolves.toMatchObject({ valid: true, cacheHealthy: false });

      keyv.store = healthyStore;
      await new Promise((resolve) => setTimeout(resolve, 1_050)); // the circuit's probe interval
      await expect(service.current()).resolves.toMatchObject({ userId: 'Default Background User' });
      expect(log).toHaveBeenCalledWith(expect.stringContaining('available again'));
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });
});

describe('BackgroundUserModule registration', () => {
  const db = new FakeMesDb();

  async function resolves(imports: DynamicModule[]): Promise<void> {
    const moduleRef = await Test.createTestingModule({ imports })
      .overrideModule(MesUsersModule)
      .useModule(db.module())
      .compile();
    try {
      await expect(moduleRef.get(BackgroundUserService).current()).resolves.toMatchObject({
        userId: 'Default Background User',
      });
    } finally {
      await moduleRef.close();
    }
  }

  @Injectable()
  class OptionsFactory implements BackgroundUserOptionsFactory {
    createBackgroundUserOptions(): BackgroundUserModuleOptions {
      return { ttlMs: 1_000 };
    }
  }

  @Module({ providers: [OptionsFactory], exports: [OptionsFactory] })
  class OptionsHostModule {}

  it('forRoot() with defaults', () => resolves([BackgroundUserModule.forRoot()]));
  it('forRootAsync with useFactory', () =>
    resolves([BackgroundUserModule.forRootAsync({ useFactory: () => ({ ttlMs: 1_000 }) })]));
  it('forRootAsync with useClass', () =>
    resolves([BackgroundUserModule.forRootAsync({ useClass: OptionsFactory })]));
  it('forRootAsync with useExisting', () =>
    resolves([
      BackgroundUserModule.forRootAsync({
        imports: [OptionsHostModule],
        useExisting: OptionsFactory,
      }),
    ]));

  it('is global by default, so another module can inject the service without importing it', async () => {
    @Injectable()
    class Consumer {
      constructor(readonly backgroundUser: BackgroundUserService) {}
    }
    @Module({ providers: [Consumer] })
    class ConsumerModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [BackgroundUserModule.forRoot(), ConsumerModule],
    })
      .overrideModule(MesUsersModule)
      .useModule(db.module())
      .compile();
    expect(moduleRef.get(Consumer).backgroundUser).toBeInstanceOf(BackgroundUserService);
    await moduleRef.close();
  });

  it.each([
    [{ ttlMs: 0 }, 'ttlMs must be a positive whole number of milliseconds'],
    [{ ttlMs: 1_000, failureTtlMs: 5_000 }, 'failureTtlMs must be'],
    [{ redisUrl: 'http://user:hunter2@host' }, 'must start with redis://'],
  ])('rejects bad options at startup: %p', async (options, message) => {
    const attempt = Test.createTestingModule({ imports: [BackgroundUserModule.forRoot(options)] })
      .overrideModule(MesUsersModule)
      .useModule(db.module())
      .compile();
    const error: unknown = await attempt.then(
      async (m) => {
        await m.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('hunter2');
  });
});
