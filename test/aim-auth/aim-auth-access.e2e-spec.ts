import { Controller, ExecutionContext, Get, Injectable, Req, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MesPrincipal } from '@mes-web-api/common';
import {
  AimAuthGuard,
  AimGuardRequest,
  AimServiceAuthModule,
  AimTokenModule,
  AimUserAuthModule,
  AllowTokens,
  CurrentMesUser,
  RequirePrivilege,
  RequireScope,
  ServiceTokensOnly,
  UserTokensOnly,
} from '@mes-web-api/aim-auth';
import { TestAuthority } from '../support/test-authority';
import { fakeBackgroundUser, FixtureApp, startFixture } from './fixture-app';

/** A request carrying a second identity: the caller behind a proxy. */
interface ProxiedRequest extends AimGuardRequest {
  upstream?: AimGuardRequest;
}

/**
 * Authenticates the token of `x-upstream-authorization` (a proxy's header) through getRequest:
 * the guard reads its token from, and sets its principal on, the object the hook returns.
 */
@Injectable()
class UpstreamHeaderGuard extends AimAuthGuard {
  override getRequest(context: ExecutionContext): AimGuardRequest {
    const request = super.getRequest(context) as ProxiedRequest;
    const authorization = request.headers?.['x-upstream-authorization'];
    return (request.upstream ??= { headers: { authorization } });
  }
}

@Controller('access')
class AccessController {
  @Get('user-only')
  @UserTokensOnly()
  userOnly(@CurrentMesUser() user: MesPrincipal): MesPrincipal {
    return user;
  }

  @Get('service-only')
  @ServiceTokensOnly()
  serviceOnly(@CurrentMesUser() user: MesPrincipal): MesPrincipal {
    return user;
  }

  @Get('reports')
  @RequireScope('reports:read', 'reports:export')
  reports(): { ok: true } {
    return { ok: true };
  }

  @Get('master-data')
  @RequirePrivilege({ id: 2, name: 'edit master data' })
  masterData(): { ok: true } {
    return { ok: true };
  }

  @Get('high-value')
  @RequirePrivilege({ id: 2, minValue: 5 })
  highValue(): { ok: true } {
    return { ok: true };
  }

  @Get('upstream')
  @UseGuards(UpstreamHeaderGuard)
  upstream(@Req() request: ProxiedRequest): { caller?: MesPrincipal; upstream?: MesPrincipal } {
    return { caller: request.mesUser, upstream: request.upstream?.mesUser };
  }
}

/** Class and handler requirements add up; the handler's token kinds win over the class's. */
@Controller('scoped')
@RequireScope('system')
@ServiceTokensOnly()
class ScopedController {
  @Get('both')
  @RequireScope('jobs:write')
  both(): { ok: true } {
    return { ok: true };
  }

  @Get('any-kind')
  @AllowTokens('user', 'service')
  anyKind(): { ok: true } {
    return { ok: true };
  }
}

let authority: TestAuthority;
let fx: FixtureApp;

beforeAll(async () => {
  authority = await TestAuthority.start();
  fx = await startFixture({
    imports: [
      AimTokenModule.forRoot({ authorities: [authority.issuer], audiences: ['system'] }),
      AimUserAuthModule.forRoot({}),
      AimServiceAuthModule.forRoot({}),
    ],
    guard: AimAuthGuard,
    providers: [fakeBackgroundUser()],
    controllers: [AccessController, ScopedController],
    seed: async (dataSource: DataSource) => {
      await dataSource.query(
        "INSERT INTO grp_name (grp_id, grp_desc, auth_method) VALUES (1, 'Supervisors', 0)",
      );
      await dataSource.query(
        "INSERT INTO priv (priv_id, priv_desc) VALUES (2, 'Edit master data')",
      );
      await dataSource.query(
        "INSERT INTO user_grp_link (grp_id, user_id) VALUES (1, 'mes\\supervisor')",
      );
      await dataSource.query(
        'INSERT INTO grp_priv_link (grp_id, priv_id, priv_value) VALUES (1, 2, 1)',
      );
    },
  });
});

afterAll(async () => {
  await fx?.close();
  await authority?.stop();
});

const user = async (userId = 'mes\\operator', claims = {}) =>
  `Bearer ${await authority.userToken(userId, claims)}`;
const service = async (claims = {}) =>
  `Bearer ${await authority.serviceToken('mes-scheduler', claims)}`;

describe('@UserTokensOnly() / @ServiceTokensOnly() / @AllowTokens()', () => {
  it('lets the allowed kind in', async () => {
    expect((await fx.call('/access/user-only', await user())).status).toBe(200);
    const res = await fx.call('/access/service-only', await service());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      userId: 'Default Background User',
      mode: 'service',
      clientId: 'mes-scheduler',
    });
  });

  it('answers 403 TOKEN_KIND_NOT_ALLOWED to the other kind, saying which kind the route takes', async () => {
    const onUserRoute = await fx.call('/access/user-only', await service());
    expect(onUserRoute.status).toBe(403);
    expect(onUserRoute.contentType).toContain('application/problem+json');
    expect(onUserRoute.body).toMatchObject({
      code: 'TOKEN_KIND_NOT_ALLOWED',
      title: 'Token kind not allowed',
      detail:
        'This route accepts user access tokens only, not service (client-credentials) tokens.',
    });
    const onServiceRoute = await fx.call('/access/service-only', await user());
    expect(onServiceRoute.status).toBe(403);
    expect(onServiceRoute.body.detail).toBe(
      'This route accepts service (client-credentials) tokens only, not user access tokens.',
    );
  });

  it('still answers 401 first for a missing or bad token', async () => {
    expect((await fx.call('/access/user-only')).body.code).toBe('TOKEN_MISSING');
    expect((await fx.call('/access/user-only', 'Bearer x.y.z')).body.code).toBe('TOKEN_INVALID');
  });
});

describe('@RequireScope()', () => {
  it('needs every scope, as a string or an array claim', async () => {
    const both = await user('mes\\operator', { scope: 'system reports:read reports:export' });
    expect((await fx.call('/access/reports', both)).status).toBe(200);
    const asArray = await service({ scope: ['system', 'reports:export', 'reports:read'] });
    expect((await fx.call('/access/reports', asArray)).status).toBe(200);
  });

  it('answers 403 SCOPE_MISSING with an insufficient_scope challenge naming what is missing', async () => {
    const res = await fx.call(
      '/access/reports',
      await user('mes\\operator', { scope: 'system reports:read' }),
    );
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('SCOPE_MISSING');
    expect(res.body.detail).toBe(
      'The access token lacks the scope "reports:export" this route requires.',
    );
    expect(res.wwwAuthenticate).toBe(
      'Bearer realm="mes-web-api", error="insufficient_scope", scope="reports:export"',
    );
  });

  it('adds class and handler scopes; the handler decides the token kinds', async () => {
    const systemOnly = await service();
    expect((await fx.call('/scoped/both', systemOnly)).body.code).toBe('SCOPE_MISSING');
    const both = await service({ scope: 'system jobs:write' });
    expect((await fx.call('/scoped/both', both)).status).toBe(200);
    const userBoth = await user('mes\\operator', { scope: 'system jobs:write' });
    expect((await fx.call('/scoped/both', userBoth)).body.code).toBe('TOKEN_KIND_NOT_ALLOWED');
    expect((await fx.call('/scoped/any-kind', await user())).status).toBe(200);
  });
});

describe('@RequirePrivilege()', () => {
  it('grants what one of the user groups grants', async () => {
    expect((await fx.call('/access/master-data', await user('mes\\supervisor'))).status).toBe(200);
  });

  it('answers 403 PRIVILEGE_MISSING naming the user and the privilege', async () => {
    const res = await fx.call('/access/master-data', await user('mes\\operator'));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'PRIVILEGE_MISSING',
      detail: '"mes\\operator" does not have the privilege to edit master data (privilege 2).',
    });
    const low = await fx.call('/access/high-value', await user('mes\\supervisor'));
    expect(low.body.detail).toBe('"mes\\supervisor" does not have privilege 2.');
  });

  it('checks the background user for a service token', async () => {
    const res = await fx.call('/access/master-data', await service());
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/^"Default Background User" does not have/);
  });
});

describe('getRequest(): the request hook of the guards', () => {
  it('lets a subclass take the token from elsewhere', async () => {
    const token = await user('mes\\supervisor');
    const res = await fetch(`${fx.origin}/access/upstream`, {
      headers: { 'x-upstream-authorization': token, authorization: await user('mes\\operator') },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      caller: { userId: 'mes\\operator', mode: 'user', clientId: 'mes-swagger-ui' },
      upstream: { userId: 'mes\\supervisor', mode: 'user', clientId: 'mes-swagger-ui' },
    });
    const none = await fetch(`${fx.origin}/access/upstream`, {
      headers: { authorization: await user('mes\\operator') },
    });
    expect(none.status).toBe(401);
  });
});
