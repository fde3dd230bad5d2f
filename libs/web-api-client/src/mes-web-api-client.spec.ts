import { inspect } from 'node:util';
import { CapturingLogger, CLIENT_ID, CLIENT_SECRET, FakeMes } from './__fixtures__/fake-mes';
import {
  MesWebApiAuthError,
  MesWebApiError,
  MesWebApiNetworkError,
  MesWebApiUsageError,
} from './errors/web-api-client.errors';
import { MesWebApiClientOptions } from './interfaces/mes-web-api-client-options.interface';
import { MesWebApiClient } from './mes-web-api-client';

describe('MesWebApiClient', () => {
  let fake: FakeMes;
  let logger: CapturingLogger;
  let now: number;
  let sleeps: number[];

  beforeEach(async () => {
    fake = await new FakeMes().start();
    logger = new CapturingLogger();
    now = Date.UTC(2025, 0, 1);
    sleeps = [];
  });
  afterEach(async () => {
    expect(logger.text).not.toContain(CLIENT_SECRET);
    expect(logger.text).not.toMatch(/token-\d/);
    await fake.stop();
  });

  const serviceItem = (authority = fake.issuer): Record<string, unknown> => ({
    Name: 'svc',
    'Base Address': fake.baseAddress,
    'Request (URI)': 'api',
    'Authentication Mode': 'Service to Service Access Token',
    Authority: authority,
    'Client ID': CLIENT_ID,
    'Client Secret': 'env:FAKE_MES_SECRET',
    Scope: 'system',
  });
  const userItem = (): Record<string, unknown> => ({
    Name: 'usr',
    'Base Address': fake.baseAddress,
    'Request (URI)': 'api',
    'Authentication Mode': 'User Access Token',
  });

  const client = (options: Partial<MesWebApiClientOptions> = {}): MesWebApiClient =>
    new MesWebApiClient({
      definitions: [serviceItem(), userItem()],
      env: { FAKE_MES_SECRET: CLIENT_SECRET },
      logger,
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      timeoutMs: 2_000,
      ...options,
    });

  describe('service to service', () => {
    it('gets a token through discovery, sends the client-credentials form and calls the API', async () => {
      fake.apiHandler = () => ({ status: 200, body: [{ ent_id: 1, ent_name: 'Site' }] });
      const rows = await client().get('svc', 'api/v3/entity', { query: { max_rows: 10 } });
      expect(rows).toEqual([{ ent_id: 1, ent_name: 'Site' }]);
      expect(fake.discoveryRequests).toBe(1);
      expect(Object.fromEntries(new URLSearchParams(fake.tokenRequests[0].body))).toEqual({
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        scope: 'system',
      });
      expect(fake.tokenRequests[0].headers['content-type']).toBe(
        'application/x-www-form-urlencoded',
      );
      expect(fake.apiRequests[0]).toMatchObject({
        method: 'GET',
        url: '/mesmw/api/v3/entity?max_rows=10',
      });
      expect(fake.apiRequests[0].headers.authorization).toBe('Bearer token-1');
    });

    it('accepts the Authority given as the token endpoint, and sends audience when set', async () => {
      const c = client({
        definitions: [{ ...serviceItem(fake.tokenEndpoint), Audience: 'system' }],
      });
      await c.post('svc', 'v3/transaction', { body: { a: 1 } });
      expect(fake.tokenRequests).toHaveLength(1);
      expect(new URLSearchParams(fake.tokenRequests[0].body).get('audience')).toBe('system');
      expect(fake.apiRequests[0]).toMatchObject({
        method: 'POST',
        url: '/mesmw/api/v3/transaction',
        body: '{"a":1}',
      });
      expect(fake.apiRequests[0].headers['content-type']).toBe('application/json');
    });

    it('uses the given token endpoint when the authority has no discovery document', async () => {
      fake.token.noDiscovery = true;
      await client({ definitions: [serviceItem(fake.tokenEndpoint)] }).get('svc', 'api/v3/entity');
      expect(fake.tokenRequests).toHaveLength(1);
      await expect(
        client({ definitions: [serviceItem()] }).get('svc', 'api/v3/entity'),
      ).rejects.toThrow(/discovery document .* answered HTTP 404/);
    });

    it('can send the credentials as HTTP Basic', async () => {
      fake.token.fail = { status: 400, error: 'unsupported' };
      const c = client({ tokenEndpointAuthMethod: 'client_secret_basic' });
      await expect(c.get('svc', 'api/v3/entity')).rejects.toThrow(MesWebApiAuthError);
      const { authorization } = fake.tokenRequests[0].headers;
      expect(Buffer.from(authorization!.replace('Basic ', ''), 'base64').toString()).toBe(
        `${CLIENT_ID}:${CLIENT_SECRET}`,
      );
      expect(new URLSearchParams(fake.tokenRequests[0].body).has('client_secret')).toBe(false);
    });

    it('makes exactly one token request for 100 concurrent calls, then reuses the token', async () => {
      fake.token.delayMs = 50;
      const c = client();
      await Promise.all(Array.from({ length: 100 }, () => c.get('svc', 'api/v3/entity')));
      await c.get('svc', 'api/v3/entity');
      expect(fake.tokenRequests).toHaveLength(1);
      expect(fake.discoveryRequests).toBe(1);
      expect(fake.apiRequests).toHaveLength(101);
      expect(new Set(fake.apiRequests.map((r) => r.headers.authorization))).toEqual(
        new Set(['Bearer token-1']),
      );
    });

    it('renews the token 60 s before expires_in runs out (fake clock)', async () => {
      fake.token.expiresIn = 24 * 3600;
      const c = client();
      await c.get('svc', 'api/v3/entity');
      now += (24 * 3600 - 61) * 1000;
      await c.get('svc', 'api/v3/entity');
      expect(fake.tokenRequests).toHaveLength(1);
      now += 2_000;
      await c.get('svc', 'api/v3/entity');
      expect(fake.tokenRequests).toHaveLength(2);
      expect(fake.apiRequests[2].headers.authorization).toBe('Bearer token-2');
    });

    it('falls back to the JWT exp when the response has no expires_in', async () => {
      fake.token.expiresIn = null;
      fake.token.jwtExp = now / 1000 + 600;
      const c = client();
      await c.get('svc', 'api/v3/entity');
      now += 500_000;
      await c.get('svc', 'api/v3/entity');
      expect(fake.tokenRequests).toHaveLength(1);
      now += 50_000;
      await c.get('svc', 'api/v3/entity');
      expect(fake.tokenRequests).toHaveLength(2);
    });

    it('retries once with a fresh token on 401, and not twice', async () => {
      fake.apiHandler = (_request, index) =>
        index === 0
          ? { status: 401, body: { detail: 'expired' } }
          : { status: 200, body: { ok: 1 } };
      const c = client();
      await expect(c.get('svc', 'api/v3/entity')).resolves.toEqual({ ok: 1 });
      expect(fake.tokenRequests).toHaveLength(2);
      expect(fake.apiRequests.map((r) => r.headers.authorization)).toEqual([
        'Bearer token-1',
        'Bearer token-2',
      ]);

      fake.apiHandler = () => ({ status: 401, body: { detail: 'The access token is not valid' } });
      const error = await c.post('svc', 'api/v3/entity', { body: {} }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MesWebApiError);
      expect(error).toMatchObject({
        statusCode: 401,
        webApiErrorMessage: 'The access token is not valid',
      });
      expect(fake.apiRequests).toHaveLength(4);
      expect(fake.tokenRequests).toHaveLength(3);
    });

    it('names the authority, not the secret, when the authority is down', async () => {
      const authority = fake.issuer;
      await fake.stop();
      const error = await client()
        .get('svc', 'api/v3/entity')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MesWebApiAuthError);
      const message = (error as Error).message;
      expect(message).toContain(`from authority ${authority}: the authority could not be reached`);
      expect(message).toContain('ECONNREFUSED');
      expect(message).not.toContain(CLIENT_SECRET);
      expect(inspect(error, { depth: 5 })).not.toContain(CLIENT_SECRET);
      expect(JSON.stringify(error)).not.toContain(CLIENT_SECRET);
      fake = await new FakeMes().start();
    });

    it('reports the OAuth2 error of a refused token request', async () => {
      const c = client({ env: { FAKE_MES_SECRET: 'wrong-secret' } });
      const error = await c.get('svc', 'api/v3/entity').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MesWebApiAuthError);
      expect(error).toMatchObject({ details: { statusCode: 401, oauthError: 'invalid_client' } });
      expect((error as Error).message).toMatch(/answered HTTP 401 \(invalid_client\)$/);
      expect((error as Error).message).not.toContain('wrong-secret');
      expect(fake.apiRequests).toHaveLength(0);
    });
  });

  describe('user access token', () => {
    it('forwards the user token and never asks the authority', async () => {
      await client().get('usr', 'api/v3/entity', { userToken: 'Bearer user-abc' });
      expect(fake.apiRequests[0].headers.authorization).toBe('Bearer user-abc');
      expect(fake.tokenRequests).toHaveLength(0);
    });

    it('refuses to run without a user token', async () => {
      await expect(client().get('usr', 'api/v3/entity')).rejects.toThrow(
        new MesWebApiAuthError(
          `Web API definition "usr" uses "User Access Token": pass the logged-in user's access token as userToken`,
          'usr',
        ),
      );
      expect(fake.apiRequests).toHaveLength(0);
    });

    it('does not retry a 401 in user mode', async () => {
      fake.apiHandler = () => ({ status: 401, body: { detail: 'expired' } });
      await expect(client().get('usr', 'api/v3/entity', { userToken: 't' })).rejects.toMatchObject({
        statusCode: 401,
      });
      expect(fake.apiRequests).toHaveLength(1);
    });
  });

  describe('errors, retries and timeouts', () => {
    it('surfaces the problem detail as webApiErrorMessage', async () => {
      fake.apiHandler = () => ({
        status: 404,
        body: {
          type: 'x',
          title: 'Not found',
          status: 404,
          detail: 'The specified entity does not exist',
          code: 'ENTITY_NOT_FOUND',
        },
      });
      const error = await client()
        .get('usr', 'api/v3/entity/key?entId={id}', { userToken: 't', params: { id: 99 } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MesWebApiError);
      expect(error).toMatchObject({
        statusCode: 404,
        webApiErrorMessage: 'The specified entity does not exist',
        code: 'ENTITY_NOT_FOUND',
        method: 'GET',
        url: `${fake.baseAddress}api/v3/entity/key?entId=99`,
      });
      expect(sleeps).toEqual([]);
    });

    it('uses the body text when the error is not a problem document', async () => {
      fake.apiHandler = () => ({ status: 409, body: 'Job is already running' });
      await expect(
        client().put('usr', 'api/v3/Jobs/Start', { userToken: 't', body: {} }),
      ).rejects.toMatchObject({
        statusCode: 409,
        webApiErrorMessage: 'Job is already running',
      });
    });

    it('retries GET on 5xx with exponential backoff, then succeeds', async () => {
      fake.apiHandler = (_r, index) =>
        index < 2 ? { status: 503, body: { detail: 'busy' } } : { status: 200, body: [] };
      const response = await client({ retries: 3 }).request('GET', 'usr', 'api/v3/entity', {
        userToken: 't',
      });
      expect(response).toMatchObject({ status: 200, body: [], attempts: 3 });
      expect(sleeps).toEqual([200, 400]);
      expect(logger.text).toContain('retry 1 of 3 in 200 ms');
    });

    it('gives up after the allowed retries and reports the last status', async () => {
      fake.apiHandler = () => ({
        status: 500,
        body: { detail: 'The token authority cannot be reached' },
      });
      await expect(
        client({ retries: 2, retryBaseDelayMs: 100, retryMaxDelayMs: 150 }).delete(
          'usr',
          'api/v3/entity/1',
          { userToken: 't' },
        ),
      ).rejects.toMatchObject({
        statusCode: 500,
        webApiErrorMessage: 'The token authority cannot be reached',
      });
      expect(fake.apiRequests).toHaveLength(3);
      expect(sleeps).toEqual([100, 150]);
    });

    it('retries a keyed POST or PATCH with the same Idempotency-Key on every attempt', async () => {
      fake.apiHandler = () => ({ status: 503, body: { detail: 'busy' } });
      const c = client({ retries: 2, retryBaseDelayMs: 10, retryMaxDelayMs: 10 });
      await expect(
        c.post('usr', 'api/v3/entity', { userToken: 't', body: {} }),
      ).rejects.toMatchObject({ statusCode: 503 });
      await expect(
        c.patch('usr', 'api/v3/entity', { userToken: 't', body: {}, idempotencyKey: 'k-1' }),
      ).rejects.toMatchObject({ statusCode: 503 });
      expect(fake.apiRequests).toHaveLength(6);
      const keys = fake.apiRequests.map((r) => r.headers['idempotency-key']);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Set(keys.slice(0, 3))).toEqual(new Set([keys[0]]));
      expect(keys.slice(3)).toEqual(['k-1', 'k-1', 'k-1']);
    });

    it('never retries a POST or PATCH sent without a key', async () => {
      fake.apiHandler = () => ({ status: 503, body: { detail: 'busy' } });
      const c = client();
      await expect(
        c.post('usr', 'api/v3/entity', { userToken: 't', body: {}, idempotencyKey: false }),
      ).rejects.toMatchObject({ statusCode: 503 });
      await expect(
        c.patch('usr', 'api/v3/entity', { userToken: 't', body: {}, idempotencyKey: false }),
      ).rejects.toMatchObject({ statusCode: 503 });
      expect(fake.apiRequests).toHaveLength(2);
      expect(fake.apiRequests.map((r) => r.headers['idempotency-key'])).toEqual([
        undefined,
        undefined,
      ]);
      expect(sleeps).toEqual([]);
    });

    it('times out each attempt, retries idempotent calls, and reports a timeout', async () => {
      fake.apiHandler = () => ({ status: 200, body: {}, delayMs: 1_000 });
      const error = await client({ timeoutMs: 100, retries: 1 })
        .get('usr', 'api/v3/entity', { userToken: 't' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MesWebApiNetworkError);
      expect(error).toMatchObject({ timedOut: true });
      expect((error as Error).message).toMatch(/timed out after 100 ms \(after 2 attempts\)$/);
      expect(fake.apiRequests).toHaveLength(2);
    });

    it('retries GET on network errors', async () => {
      const c = client({ retries: 1 });
      await fake.stop();
      const error = await c
        .get('usr', 'api/v3/entity', { userToken: 't' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MesWebApiNetworkError);
      expect(error).toMatchObject({ timedOut: false });
      expect(sleeps).toEqual([200]);
      fake = await new FakeMes().start();
    });

    it('reports unknown definitions and missing placeholders before any request', async () => {
      const c = client();
      await expect(c.get('nope', 'api/x')).rejects.toThrow(
        new MesWebApiUsageError('Unknown Web API definition "nope" (known: "svc", "usr")'),
      );
      await expect(c.get('usr', 'api/jobs?woId={woId}', { userToken: 't' })).rejects.toThrow(
        /needs a value for \{woId\}/,
      );
      expect(fake.apiRequests).toHaveLength(0);
      expect(fake.tokenRequests).toHaveLength(0);
      expect(c.definition('SVC').name).toBe('svc');
    });

    it('returns undefined for 204', async () => {
      fake.apiHandler = () => ({ status: 204 });
      await expect(
        client().delete('usr', 'api/v3/entity/1', { userToken: 't' }),
      ).resolves.toBeUndefined();
    });
  });
});
