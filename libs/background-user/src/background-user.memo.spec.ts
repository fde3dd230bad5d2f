import { CACHE_MANAGER, Cache } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { MesUser, MesUsersModule, MesUsersService, SystemAttributesService } from '@mes-web-api/mes-users';
import { BackgroundUserModule } from './background-user.module';
import { BackgroundUserService } from './background-user.service';

/*
 * The hot path of a service call with the in-memory cache: once the background user is cached,
 * later calls are answered from the service's own copy without touching the Keyv store, for
 * exactly as long as the cached entry itself is valid; invalidate() and expiry drop the copy.
 */

const TTL = 60_000;

describe('BackgroundUserService: in-memory fast path', () => {
  let now: number;
  let attr199: string;
  let moduleRef: TestingModule;
  let service: BackgroundUserService;
  let storeReads: jest.SpyInstance;
  const user = (userId: string): MesUser => ({
    userId,
    userDesc: null,
    active: true,
    emailAddress: null,
    langId: null,
    authMethod: 0,
  });

  beforeEach(async () => {
    now = Date.UTC(2025, 0, 1);
    attr199 = 'Default Background User';
    @Module({
      providers: [
        {
          provide: MesUsersService,
          useValue: { findUser: (id: string) => Promise.resolve(user(id)) },
        },
        {
          provide: SystemAttributesService,
          useValue: {
            get: () =>
              Promise.resolve({
                attrId: 199,
                attrDesc: 'User ID for background tasks',
                attrValue: attr199,
                grpId: null,
                attrSeq: null,
                editType: null,
                lastEditBy: null,
                lastEditAt: null,
              }),
          },
        },
      ],
      exports: [MesUsersService, SystemAttributesService],
    })
    class FakeUsers {}
    moduleRef = await Test.createTestingModule({
      imports: [BackgroundUserModule.forRoot({ ttlMs: TTL, clock: () => now })],
    })
      .overrideModule(MesUsersModule)
      .useModule(FakeUsers)
      .compile();
    await moduleRef.init();
    service = moduleRef.get(BackgroundUserService);
    const keyv = moduleRef.get<Cache>(CACHE_MANAGER, { strict: false }).stores[0];
    storeReads = jest.spyOn(keyv, 'getMany');
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it('reads the store until an entry is cached, then not again until it expires', async () => {
    await service.current(); // miss: load and write
    await service.current(); // cache hit: remembered
    const reads = storeReads.mock.calls.length;
    for (let i = 0; i < 50; i++) {
      await expect(service.current()).resolves.toMatchObject({ userId: 'Default Background User' });
    }
    expect(storeReads.mock.calls.length).toBe(reads);

    attr199 = 'mes\\operator';
    now += TTL - 1;
    await expect(service.current()).resolves.toMatchObject({ userId: 'Default Background User' });
    now += 1; // the entry (and so the copy) expires
    await expect(service.current()).resolves.toMatchObject({ userId: 'mes\\operator' });
    expect(storeReads.mock.calls.length).toBeGreaterThan(reads);
  });

  it('currentUserIdNow() answers from the copy only, and not after expiry or invalidate()', async () => {
    expect(service.currentUserIdNow()).toBeUndefined(); // nothing loaded yet
    await service.current(); // miss: load and write
    expect(service.currentUserIdNow()).toBeUndefined(); // loaded, but not yet read back
    await service.current(); // cache hit: remembered
    const reads = storeReads.mock.calls.length;
    expect(service.currentUserIdNow()).toBe('Default Background User');
    expect(storeReads.mock.calls.length).toBe(reads);
    attr199 = 'mes\\operator';
    now += TTL;
    expect(service.currentUserIdNow()).toBeUndefined(); // expired: current() decides
    await service.current();
    await service.current();
    expect(service.currentUserIdNow()).toBe('mes\\operator');
    await service.invalidate();
    expect(service.currentUserIdNow()).toBeUndefined();
  });

  it('currentUserIdNow() is undefined while the cached check found a problem', async () => {
    attr199 = '';
    await expect(service.current()).rejects.toMatchObject({ code: 'BACKGROUND_USER_INVALID' });
    await expect(service.current()).rejects.toMatchObject({ code: 'BACKGROUND_USER_INVALID' });
    expect(service.currentUserIdNow()).toBeUndefined();
  });

  it('drops the copy on invalidate()', async () => {
    await service.current();
    await service.current();
    attr199 = 'mes\\operator';
    await service.invalidate();
    await expect(service.current()).resolves.toMatchObject({ userId: 'mes\\operator' });
  });
});
