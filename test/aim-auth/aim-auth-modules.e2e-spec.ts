import { ConfigurableModuleOptionsFactory, Injectable, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BackgroundUserModule } from '@mes-web-api/background-user';
import { SystemAttr } from '@mes-web-api/mes-users';
import {
  AIM_SERVICE_STRATEGY,
  AIM_USER_STRATEGY,
  AimAuthConfigError,
  AimAuthGuard,
  AimServiceAuthGuard,
  AimServiceAuthModule,
  AimServiceAuthModuleOptions,
  AimTokenModule,
  AimTokenModuleOptions,
  AimTokenVerifier,
  AimUserAuthGuard,
  AimUserAuthModule,
  AimUserAuthModuleOptions,
} from '@mes-web-api/aim-auth';
import { AuthGuard } from '@nestjs/passport';
import { TestAuthority } from '../support/test-authority';
import { BACKGROUND_USER_ID, fakeBackgroundUser, FixtureApp, startFixture } from './fixture-app';

/**
 * Each module alone in a bare Nest app, and every way of registering it. Only one fixture app
 * is alive at a time: passport keeps one strategy registry per process.
 */
let authority: TestAuthority;
const tokenOptions = (): AimTokenModuleOptions => ({
  authorities: [authority.issuer],
  audiences: ['system'],
});

beforeAll(async () => {
  authority = await TestAuthority.start();
});

afterAll(async () => {
  await authority?.stop();
});

const bearer = async (kind: 'user' | 'service', userId = 'mes\\operator'): Promise<string> =>
  `Bearer ${kind === 'user' ? await authority.userToken(userId) : await authority.serviceToken('mes-scheduler')}`;

describe('AimUserAuthModule alone (no service module, no background user)', () => {
  let fx: FixtureApp;
  beforeAll(async () => {
    fx = await startFixture({
      imports: [AimTokenModule.forRoot(tokenOptions()), AimUserAuthModule.forRoot({})],
      guard: AimUserAuthGuard,
    });
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('accepts a user token', async () => {
    const res = await fx.call('/me', await bearer('user'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: 'mes\\operator', mode: 'user', clientId: 'mes-swagger-ui' });
  });

  it('rejects a service token with 401 invalid_token (this API takes user tokens only)', async () => {
    const res = await fx.call('/me', await bearer('service'));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_INVALID');
    expect(res.wwwAuthenticate).toBe(
      'Bearer realm="mes-web-api", error="invalid_token", error_description="this API accepts user access tokens only, not service tokens"',
    );
  });

  it('answers 401 TOKEN_MISSING without a token', async () => {
    const res = await fx.call('/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_MISSING');
  });
});

describe('AimServiceAuthModule alone (no user module)', () => {
  let fx: FixtureApp;
  beforeAll(async () => {
    fx = await startFixture({
      imports: [AimTokenModule.forRoot(tokenOptions()), AimServiceAuthModule.forRoot({})],
      guard: AimServiceAuthGuard,
      providers: [fakeBackgroundUser()],
    });
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('accepts a service token as the background user', async () => {
    const res = await fx.call('/me', await bearer('service'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      userId: BACKGROUND_USER_ID,
      mode: 'service',
      clientId: 'mes-scheduler',
    });
  });

  it('rejects a user token with 401 invalid_token (this API takes service tokens only)', async () => {
    const res = await fx.call('/me', await bearer('user'));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_INVALID');
    expect(res.wwwAuthenticate).toContain(
      'error_description="this API accepts service (client-credentials) tokens only, not user tokens"',
    );
  });
});

describe("the strategies through @nestjs/passport's own AuthGuard (apps that use passport directly)", () => {
  let fx: FixtureApp;
  beforeAll(async () => {
    fx = await startFixture({
      imports: [
        AimTokenModule.forRoot(tokenOptions()),
        AimUserAuthModule.forRoot({}),
        AimServiceAuthModule.forRoot({}),
      ],
      guard: AuthGuard([AIM_USER_STRATEGY, AIM_SERVICE_STRATEGY]),
      providers: [fakeBackgroundUser()],
    });
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('puts the MES user of a user token on request.user', async () => {
    const res = await fx.call('/passport-user', await bearer('user'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: 'mes\\operator', mode: 'user', clientId: 'mes-swagger-ui' });
  });

  it('runs a service token as the background user', async () => {
    const res = await fx.call('/passport-user', await bearer('service'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: BACKGROUND_USER_ID, mode: 'service' });
  });

  it('answers 401 without a token and 401 invalid_token for a bad one', async () => {
    expect((await fx.call('/passport-user')).status).toBe(401);
    const bad = await fx.call('/passport-user', 'Bearer not-a-token');
    expect(bad.status).toBe(401);
    expect(bad.wwwAuthenticate).toMatch(/invalid_token/);
  });

  it('answers 403 MES_USER_INACTIVE for an inactive MES user, as the aim-auth guards do', async () => {
    const res = await fx.call('/passport-user', await bearer('user', 'mes\\former'));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'MES_USER_INACTIVE' });
  });
});

describe('AimServiceAuthModule without BackgroundUserService', () => {
  it('fails at startup with a message that says what to import', async () => {
    await expect(
      startFixture({
        imports: [AimTokenModule.forRoot(tokenOptions()), AimServiceAuthModule.forRoot({})],
        guard: AimServiceAuthGuard,
      }),
    ).rejects.toThrow(/BackgroundUserModule\.forRoot\(\)/);
  });
});

describe('forRootAsync with useFactory (and stripDomain)', () => {
  let fx: FixtureApp;
  beforeAll(async () => {
    fx = await startFixture({
      imports: [
        AimTokenModule.forRootAsync({ useFactory: () => Promise.resolve(tokenOptions()) }),
        AimUserAuthModule.forRootAsync({ useFactory: () => ({ stripDomain: true }) }),
        AimServiceAuthModule.forRootAsync({ useFactory: () => ({ serviceScope: 'system' }) }),
      ],
      guard: AimAuthGuard,
      providers: [fakeBackgroundUser()],
    });
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('strips the domain: CORP\\plainuser → plainuser', async () => {
    const res = await fx.call('/me', await bearer('user', 'CORP\\plainuser'));
    expect(res.status).toBe(200);
    expect(res.body.userId).toBe('plainuser');
  });

  it('looks up the stripped id: mes\\operator → operator, which is not an MES user', async () => {
    const res = await fx.call('/me', await bearer('user', 'mes\\operator'));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('MES_USER_NOT_FOUND');
    expect(res.body.detail).toBe('"operator" is not an MES user.');
  });

  it('still accepts service tokens', async () => {
    expect((await fx.call('/me', await bearer('service'))).status).toBe(200);
  });
});

@Injectable()
class TokenOptionsFactory implements ConfigurableModuleOptionsFactory<
  AimTokenModuleOptions,
  'create'
> {
  create(): AimTokenModuleOptions {
    return tokenOptions();
  }
}

@Injectable()
class UserOptionsFactory implements ConfigurableModuleOptionsFactory<
  AimUserAuthModuleOptions,
  'create'
> {
  create(): AimUserAuthModuleOptions {
    return { userClaim: 'upn' };
  }
}

@Injectable()
class ServiceOptionsFactory implements ConfigurableModuleOptionsFactory<
  AimServiceAuthModuleOptions,
  'create'
> {
  create(): AimServiceAuthModuleOptions {
    return { serviceScope: 'mes.jobs', userClaim: 'upn' };
  }
}

describe('forRootAsync with useClass (custom userClaim and serviceScope)', () => {
  let fx: FixtureApp;
  beforeAll(async () => {
    fx = await startFixture({
      imports: [
        AimTokenModule.forRootAsync({ useClass: TokenOptionsFactory }),
        AimUserAuthModule.forRootAsync({ useClass: UserOptionsFactory }),
        AimServiceAuthModule.forRootAsync({ useClass: ServiceOptionsFactory }),
      ],
      guard: AimAuthGuard,
      providers: [fakeBackgroundUser()],
    });
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('reads the user from the configured claim', async () => {
    const token = await authority.userToken('someone-else', { upn: 'mes\\supervisor' });
    const res = await fx.call('/me', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.userId).toBe('mes\\supervisor');
  });

  it('requires the configured service scope', async () => {
    const missing = await fx.call('/me', await bearer('service'));
    expect(missing.status).toBe(403);
    expect(missing.wwwAuthenticate).toContain('scope="mes.jobs"');
    const token = await authority.serviceToken('mes-scheduler', { scope: 'mes.jobs' });
    expect((await fx.call('/me', `Bearer ${token}`)).status).toBe(200);
  });
});

@Module({
  providers: [TokenOptionsFactory, UserOptionsFactory, ServiceOptionsFactory],
  exports: [TokenOptionsFactory, UserOptionsFactory, ServiceOptionsFactory],
})
class OptionsModule {}

describe('forRootAsync with useExisting', () => {
  let fx: FixtureApp;
  beforeAll(async () => {
    fx = await startFixture({
      imports: [
        AimTokenModule.forRootAsync({ imports: [OptionsModule], useExisting: TokenOptionsFactory }),
        AimUserAuthModule.forRootAsync({
          imports: [OptionsModule],
          useExisting: UserOptionsFactory,
        }),
        AimServiceAuthModule.forRootAsync({
          imports: [OptionsModule],
          useExisting: ServiceOptionsFactory,
        }),
      ],
      guard: AimAuthGuard,
      providers: [fakeBackgroundUser()],
    });
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('uses the existing factories, and both strategies share one verifier', async () => {
    const user = await fx.call(
      '/me',
      `Bearer ${await authority.userToken('x', { upn: 'mes\\operator' })}`,
    );
    expect(user.status).toBe(200);
    const service = await fx.call(
      '/me',
      `Bearer ${await authority.serviceToken('mes-scheduler', { scope: ['mes.jobs'] })}`,
    );
    expect(service.status).toBe(200);
    expect(service.body.mode).toBe('service');
    expect(fx.app.get(AimTokenVerifier, { strict: false }).memoSize).toBe(2);
  });
});

describe('invalid options', () => {
  it('refuse to start with a clear message', async () => {
    await expect(
      startFixture({
        imports: [
          AimTokenModule.forRoot({
            authorities: [authority.issuer],
            audiences: ['system'],
            algorithms: ['HS256'],
          }),
          AimUserAuthModule.forRoot({}),
        ],
        guard: AimUserAuthGuard,
      }),
    ).rejects.toThrow(AimAuthConfigError);
  });
});

describe('with the real BackgroundUserModule (attribute 199)', () => {
  const withAttr199 =
    (value: string) =>
    async (dataSource: DataSource): Promise<void> => {
      await dataSource.getRepository(SystemAttr).insert({
        attrId: 199,
        attrDesc: 'User ID for background tasks',
        attrValue: value,
      });
    };
  const start = (value: string): Promise<FixtureApp> =>
    startFixture({
      imports: [
        AimTokenModule.forRoot(tokenOptions()),
        AimUserAuthModule.forRoot({}),
        AimServiceAuthModule.forRoot({}),
        BackgroundUserModule.forRoot({ failureTtlMs: 0 }),
      ],
      guard: AimAuthGuard,
      seed: withAttr199(value),
    });

  it('runs a service call as the user named by attribute 199', async () => {
    const fx = await start(BACKGROUND_USER_ID);
    try {
      const res = await fx.call('/me', await bearer('service'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        userId: BACKGROUND_USER_ID,
        mode: 'service',
        clientId: 'mes-scheduler',
      });
    } finally {
      await fx.close();
    }
  });

  it('answers 403 BACKGROUND_USER_INVALID when attribute 199 names an inactive user', async () => {
    const fx = await start('mes\\former');
    try {
      const res = await fx.call('/me', await bearer('service'));
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('BACKGROUND_USER_INVALID');
      expect(res.body.detail).toContain('199');
      expect((await fx.call('/me', await bearer('user'))).status).toBe(200);
    } finally {
      await fx.close();
    }
  });
});
