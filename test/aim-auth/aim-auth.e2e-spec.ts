import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { exportJWK } from 'jose';
import {
  AimAuthGuard,
  AimServiceAuthModule,
  AimTokenModule,
  AimTokenModuleOptions,
  AimTokenVerifier,
  AimUserAuthModule,
} from '@mes-web-api/aim-auth';
import { createSigningKey, TestAuthority } from '../support/test-authority';
import {
  BACKGROUND_USER_ID,
  fakeBackgroundUser,
  FixtureApp,
  ProbeController,
  startFixture,
} from './fixture-app';

const REALM = 'Bearer realm="mes-web-api"';
const invalidChallenge = (description: string): string =>
  `${REALM}, error="invalid_token", error_description="${description}"`;

/** Decodes/encodes the payload segment of a compact JWS, keeping header and signature. */
function withPayload(token: string, change: (claims: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
    string,
    unknown
  >;
  change(claims);
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}

describe('aim-auth: user and service tokens through AimAuthGuard (fastify, real HTTP)', () => {
  let a: TestAuthority;
  let b: TestAuthority;
  let untrusted: TestAuthority;
  let jkuHost: TestAuthority;
  let fx: FixtureApp;

  beforeAll(async () => {
    [a, b, untrusted, jkuHost] = await Promise.all([
      TestAuthority.start(),
      TestAuthority.start(),
      TestAuthority.start(),
      TestAuthority.start('/attacker'),
    ]);
    const tokenOptions: AimTokenModuleOptions = {
      authorities: [a.issuer, b.issuer],
      audiences: ['system'],
      algorithms: ['RS256'],
      clockSkewS: 60,
      memoMaxEntries: 25,
    };
    fx = await startFixture({
      imports: [
        AimTokenModule.forRoot(tokenOptions),
        AimUserAuthModule.forRoot({}),
        AimServiceAuthModule.forRoot({ serviceScope: 'system' }),
      ],
      guard: AimAuthGuard,
      providers: [fakeBackgroundUser()],
    });
  });

  afterAll(async () => {
    await fx?.close();
    await Promise.all([a, b, untrusted, jkuHost].map((x) => x?.stop()));
  });

  const bearer = (token: string): string => `Bearer ${token}`;

  async function expectInvalid(authorization: string, description?: string): Promise<void> {
    const res = await fx.call('/me', authorization);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_INVALID');
    expect(res.contentType).toContain('application/problem+json');
    expect(res.wwwAuthenticate).toMatch(/^Bearer realm="mes-web-api", error="invalid_token"/);
    if (description) {
      expect(res.wwwAuthenticate).toBe(invalidChallenge(description));
      expect(res.body.detail).toBe(`The access token is not valid: ${description}.`);
    }
    expect(JSON.stringify(res.body)).not.toContain(authorization.slice(7, 40) || '\u0000');
  }

  it('accepts a user token of an active MES user', async () => {
    const res = await fx.call('/me', bearer(await a.userToken('mes\\operator')));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: 'mes\\operator', mode: 'user', clientId: 'mes-swagger-ui' });
  });

  it('accepts a service token (AIM style, no sub) as the background user', async () => {
    const res = await fx.call('/me', bearer(await a.serviceToken('mes-scheduler')));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      userId: BACKGROUND_USER_ID,
      mode: 'service',
      clientId: 'mes-scheduler',
    });
  });

  it('accepts an RFC 9068 client-credentials token (sub === client_id, scope as a string)', async () => {
    const token = await a.serviceToken('mes-scheduler', {
      sub: 'mes-scheduler',
      scope: 'openid system',
    });
    const res = await fx.call('/me', bearer(token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      userId: BACKGROUND_USER_ID,
      mode: 'service',
      clientId: 'mes-scheduler',
    });
  });

  it('accepts tokens from every trusted authority', async () => {
    const fromA = await fx.call('/me', bearer(await a.userToken('mes\\supervisor')));
    const fromB = await fx.call('/me', bearer(await b.userToken('mes\\supervisor')));
    const serviceFromB = await fx.call('/me', bearer(await b.serviceToken('mes-scheduler')));
    expect([fromA.status, fromB.status, serviceFromB.status]).toEqual([200, 200, 200]);
    expect(fromB.body.userId).toBe('mes\\supervisor');
    expect(serviceFromB.body.mode).toBe('service');
  });

  it('matches an issuer that differs from the configured one only by a trailing slash', async () => {
    const res = await fx.call(
      '/me',
      bearer(await a.userToken('mes\\operator', { iss: `${a.issuer}/` })),
    );
    expect(res.status).toBe(200);
    const other = await fx.call(
      '/me',
      bearer(await a.userToken('mes\\operator', { iss: `${a.issuer}/other` })),
    );
    expect(other.status).toBe(401);
    expect(other.body.detail).toBe(
      'The access token is not valid: the token issuer is not trusted.',
    );
  });

  it('lets @Public() routes through without a token', async () => {
    const res = await fx.call('/open');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it('answers 401 TOKEN_MISSING without an Authorization header', async () => {
    const res = await fx.call('/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_MISSING');
    expect(res.body.detail).toMatch(/^An access token is required/);
    expect(res.wwwAuthenticate).toBe(REALM);
  });

  it('answers 401 TOKEN_MISSING for another scheme (Basic)', async () => {
    const res = await fx.call(
      '/me',
      `Basic ${Buffer.from('mes\\operator:operator').toString('base64')}`,
    );
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_MISSING');
    expect(res.wwwAuthenticate).toBe(REALM);
  });

  it('answers 401 TOKEN_INVALID for an empty bearer token', async () => {
    await expectInvalid('Bearer ', 'the bearer token is empty');
  });

  it('rejects a malformed JWT', async () => {
    await expectInvalid('Bearer not.a-jwt', 'the token is malformed');
    await expectInvalid('Bearer abc', 'the token is malformed');
  });

  it('rejects alg "none"', async () => {
    const token = await a.sign(a.baseClaims({ preferred_username: 'mes\\operator' }), {
      alg: 'none',
    });
    await expectInvalid(bearer(token), 'the token algorithm is not allowed');
  });

  it('rejects HS256 signed with the authority public key as the secret', async () => {
    const secret = new TextEncoder().encode(await a.publicKeyPem());
    const token = await a.sign(a.baseClaims({ preferred_username: 'mes\\supervisor' }), {
      alg: 'HS256',
      key: secret,
    });
    await expectInvalid(bearer(token), 'the token algorithm is not allowed');
  });

  it('rejects a token signed with another key under a valid kid', async () => {
    const attacker = await createSigningKey();
    const token = await a.userToken('mes\\supervisor', {}, { key: attacker.privateKey });
    await expectInvalid(bearer(token), 'the token signature is invalid');
  });

  it('rejects a tampered payload', async () => {
    const good = await a.userToken('mes\\operator');
    const tampered = withPayload(good, (c) => {
      c.preferred_username = 'mes\\supervisor';
      c.sub = 'mes\\supervisor';
    });
    await expectInvalid(bearer(tampered), 'the token signature is invalid');
  });

  it('rejects a token with its signature stripped', async () => {
    const good = await a.userToken('mes\\operator');
    const stripped = good.slice(0, good.lastIndexOf('.') + 1);
    await expectInvalid(bearer(stripped));
  });

  it('rejects an unknown kid', async () => {
    const stranger = await createSigningKey();
    const token = await a.userToken(
      'mes\\operator',
      {},
      { key: stranger.privateKey, kid: stranger.kid },
    );
    await expectInvalid(bearer(token), 'no signing key of the authority matches the token');
  });

  it('rejects an attacker key embedded in the jwk header', async () => {
    const attacker = await createSigningKey();
    const jwk = { ...(await exportJWK(attacker.publicKey)), kid: attacker.kid };
    const token = await a.userToken(
      'mes\\supervisor',
      {},
      {
        key: attacker.privateKey,
        kid: attacker.kid,
        header: { jwk },
      },
    );
    await expectInvalid(
      bearer(token),
      'the token header names its own key, which is never trusted',
    );
  });

  it('rejects a jku header and never fetches it', async () => {
    jkuHost.resetLog();
    const token = await a.userToken('mes\\supervisor', {}, { header: { jku: jkuHost.jwksUrl } });
    await expectInvalid(
      bearer(token),
      'the token header names its own key, which is never trusted',
    );
    const noKid = await a.userToken(
      'mes\\supervisor',
      {},
      { kid: null, header: { x5u: jkuHost.jwksUrl } },
    );
    await expectInvalid(bearer(noKid));
    expect(jkuHost.count()).toBe(0);
  });

  it('rejects an expired token (beyond the clock skew)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await a.userToken('mes\\operator', {
      iat: now - 7200,
      nbf: now - 7200,
      exp: now - 120,
    });
    await expectInvalid(bearer(token), 'the token has expired');
  });

  it('accepts a token expired within the clock skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await a.userToken('mes\\operator', {
      iat: now - 3600,
      nbf: now - 3600,
      exp: now - 20,
    });
    expect((await fx.call('/me', bearer(token))).status).toBe(200);
  });

  it('rejects a token that is not yet valid (nbf in the future beyond the skew)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await a.userToken('mes\\operator', { nbf: now + 600, exp: now + 3600 });
    await expectInvalid(bearer(token), 'the token is not yet valid');
  });

  it('rejects a token issued in the future (iat beyond the skew)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await a.userToken('mes\\operator', { iat: now + 600, nbf: undefined });
    await expectInvalid(bearer(token), 'the token was issued in the future');
  });

  it('rejects a token without exp', async () => {
    const token = await a.userToken('mes\\operator', { exp: undefined });
    await expectInvalid(bearer(token), 'the token has no expiry');
  });

  it('rejects an untrusted issuer without contacting it', async () => {
    untrusted.resetLog();
    const token = await untrusted.userToken('mes\\supervisor');
    await expectInvalid(bearer(token), 'the token issuer is not trusted');
    const noIss = await a.userToken('mes\\supervisor', { iss: undefined });
    await expectInvalid(bearer(noIss), 'the token has no issuer');
    expect(untrusted.count()).toBe(0);
  });

  it('rejects a token whose iss claims a trusted issuer but is signed by another authority', async () => {
    const token = await untrusted.userToken('mes\\supervisor', { iss: a.issuer });
    await expectInvalid(bearer(token));
  });

  it('rejects a wrong audience', async () => {
    const token = await a.userToken('mes\\operator', { aud: ['api', 'other'] });
    await expectInvalid(bearer(token), 'the token audience is not accepted');
  });

  it('rejects a token without audience', async () => {
    const token = await a.userToken('mes\\operator', { aud: undefined });
    await expectInvalid(bearer(token), 'the token audience is not accepted');
  });

  it('answers 403 MES_USER_INACTIVE for an inactive MES user', async () => {
    const res = await fx.call('/me', bearer(await a.userToken('mes\\former')));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('MES_USER_INACTIVE');
    expect(res.body.detail).toBe('The MES user "mes\\former" is not active.');
  });

  it('answers 403 MES_USER_NOT_FOUND for a user unknown to MES', async () => {
    const res = await fx.call('/me', bearer(await a.userToken('corp\\stranger')));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('MES_USER_NOT_FOUND');
    expect(res.body.detail).toBe('"corp\\stranger" is not an MES user.');
  });

  it('answers 403 SCOPE_MISSING for a service token without the system scope', async () => {
    const res = await fx.call(
      '/me',
      bearer(await a.serviceToken('mes-scheduler', { scope: ['openid'] })),
    );
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('SCOPE_MISSING');
    expect(res.wwwAuthenticate).toBe(`${REALM}, error="insufficient_scope", scope="system"`);
  });

  it('keeps the verified-token memo bounded under many distinct tokens', async () => {
    const verifier = fx.app.get(AimTokenVerifier);
    const tokens = await Promise.all(
      Array.from({ length: 120 }, (_, i) => a.userToken('mes\\operator', { jti: `t${i}` })),
    );
    for (const token of tokens) await verifier.verify(token);
    expect(verifier.memoSize).toBeLessThanOrEqual(25);
    expect(verifier.memoSize).toBeGreaterThan(0);
  });

  it('a remembered token does not vouch for a token that ends with the same signature', async () => {
    const verifier = fx.app.get(AimTokenVerifier);
    const token = await a.userToken('mes\\operator', { jti: 'same-end' });
    expect((await fx.call('/me', bearer(token))).status).toBe(200);
    expect((await verifier.verify(token)).sub).toBe('mes\\operator');
    // Same header and signature, another payload: the signature no longer matches it.
    const forged = withPayload(token, (claims) => (claims.sub = 'mes\\supervisor'));
    expect(forged.slice(-100)).toBe(token.slice(-100));
    await expectInvalid(bearer(forged), 'the token signature is invalid');
    // The remembered token still answers from the memo.
    expect((await fx.call('/me', bearer(token))).status).toBe(200);
  });

  it('decides a warm request at once, and anything else through the full check', async () => {
    const guard = new AimAuthGuard();
    const handler = Object.getOwnPropertyDescriptor(ProbeController.prototype, 'me')?.value as (
      ...args: unknown[]
    ) => unknown;
    const decide = (token: string) => {
      const request: { headers: Record<string, string>; mesUser?: unknown } = {
        headers: { authorization: bearer(token) },
      };
      const context = new ExecutionContextHost([request, {}, undefined], ProbeController, handler);
      return { request, result: guard.canActivate(context) };
    };
    const isPromise = (value: unknown) => typeof (value as Promise<unknown>)?.then === 'function';
    const user = await a.userToken('mes\\operator', { jti: 'warm-user' });
    const service = await a.serviceToken('mes-scheduler', { jti: 'warm-service' });
    for (const token of [user, service]) {
      const cold = decide(token);
      expect(isPromise(cold.result)).toBe(true); // the signature is verified first
      await expect(cold.result).resolves.toBe(true);
      const warm = decide(token);
      expect(warm.result).toBe(true); // remembered token, cached user: no promise
      expect(warm.request.mesUser).toEqual(cold.request.mesUser);
      // The warm path hands out one frozen principal per remembered token while nothing changed.
      expect(decide(token).request.mesUser).toBe(warm.request.mesUser);
      expect(Object.isFrozen(warm.request.mesUser)).toBe(true);
    }
    expect(decide(user).request.mesUser).toEqual({
      userId: 'mes\\operator',
      mode: 'user',
      clientId: 'mes-swagger-ui',
    });
    // A remembered token of an inactive user still answers 403 (through the full check).
    const former = await a.userToken('mes\\former', { jti: 'warm-former' });
    for (let i = 0; i < 2; i++) {
      const refused = decide(former).result;
      expect(isPromise(refused)).toBe(true);
      await expect(refused).rejects.toMatchObject({ code: 'MES_USER_INACTIVE' });
    }
  });

  it('fetches discovery and keys once, not per request', async () => {
    a.resetLog();
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, i) => a.userToken('mes\\operator', { jti: `once${i}` })),
    );
    const statuses = await Promise.all(
      tokens.map(async (t) => (await fx.call('/me', bearer(t))).status),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(a.count()).toBe(0);
  });
});

describe('aim-auth: authority outage, known keys and rotation', () => {
  let authority: TestAuthority;
  let fx: FixtureApp;

  beforeAll(async () => {
    authority = await TestAuthority.start();
    fx = await startFixture({
      imports: [
        AimTokenModule.forRoot({
          authorities: [authority.issuer],
          audiences: ['system'],
          failureBackoffMs: 0,
          jwksCooldownMs: 0,
          // Every request wants a fresh JWKS, so "known key while down" exercises the stale-key path.
          jwksMaxAgeMs: 1,
          fetchTimeoutMs: 2000,
        }),
        AimUserAuthModule.forRoot({}),
        AimServiceAuthModule.forRoot({}),
      ],
      guard: AimAuthGuard,
      providers: [fakeBackgroundUser()],
    });
    await authority.stop();
  });

  afterAll(async () => {
    await fx?.close();
    await authority?.stop();
  });

  const expectUnreachable = async (token: string): Promise<void> => {
    const res = await fx.call('/me', `Bearer ${token}`);
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({
      status: 500,
      code: 'AUTHORITY_UNREACHABLE',
      title: 'Token authority unreachable',
      detail: `The token authority ${authority.issuer} cannot be reached, so the access token cannot be verified. Try again later.`,
    });
  };

  it('answers 500 AUTHORITY_UNREACHABLE when discovery fails, and retries discovery later', async () => {
    const token = await authority.userToken('mes\\operator');
    await expectUnreachable(token);
    await authority.start();
    expect((await fx.call('/me', `Bearer ${token}`)).status).toBe(200);
  });

  it('keeps verifying tokens signed with a known key while the authority is down', async () => {
    await authority.stop();
    const res = await fx.call('/me', `Bearer ${await authority.userToken('mes\\supervisor')}`);
    expect(res.status).toBe(200);
    expect(res.body.userId).toBe('mes\\supervisor');
  });

  it('answers 500 for an unknown key while the authority is down', async () => {
    await authority.rotateKey();
    await expectUnreachable(await authority.userToken('mes\\operator', { jti: 'rotated-1' }));
  });

  it('picks up the rotated key once the authority is back', async () => {
    await authority.start();
    const res = await fx.call(
      '/me',
      `Bearer ${await authority.userToken('mes\\operator', { jti: 'rotated-2' })}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.userId).toBe('mes\\operator');
  });
});
