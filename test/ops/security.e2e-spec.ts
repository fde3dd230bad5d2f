import { MetricsServer } from '../../apps/mes-web-api/src/ops';
import { call, RunningApi, startApi } from '../support/api';
import { serviceToken, userToken } from '../support/tokens';
import { scrape, sumWhere } from './ops-support';

/*
 * Security headers and the failed-authentication limit: every answer has the request id,
 * `Cache-Control: no-store` and a strict policy (Swagger UI gets its own); an address that failed
 * authentication AUTH_FAILURE_LIMIT times gets 429 problem+json with Retry-After for requests
 * carrying a token to verify, before any verification; callers whose token is already verified,
 * requests without a token and public routes are never refused.
 */

const PROBLEM = /^application\/problem\+json/;

describe('ops: security headers', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('API answers (success, error, unknown route) carry the request id, no-store and a strict policy', async () => {
    const operator = await userToken('mes\\operator');
    for (const [path, token, status] of [
      ['/api/v3/entity/key?entId=5', operator, 200],
      ['/api/v3/entity/key?entId=5', undefined, 401],
      ['/nothing/here', undefined, 404],
      ['/health', undefined, 200],
    ] as const) {
      const res = await call(`${api.base}${path}`, { token });
      expect({ path, status: res.status }).toEqual({ path, status });
      expect({
        path,
        id: res.headers.get('x-request-id'),
        cache: res.headers.get('cache-control'),
        csp: res.headers.get('content-security-policy'),
        nosniff: res.headers.get('x-content-type-options'),
        frame: res.headers.get('x-frame-options'),
      }).toEqual({
        path,
        id: expect.stringMatching(/^[0-9a-f]{16}-[0-9a-z]+$/),
        cache: 'no-store',
        csp: "default-src 'none';frame-ancestors 'none'",
        nosniff: 'nosniff',
        frame: 'DENY',
      });
      if (status >= 400) expect(res.body.request_id).toBe(res.headers.get('x-request-id'));
    }
  });

  it('echoes a valid x-request-id and replaces an invalid one', async () => {
    const given = await call(`${api.base}/api/v3/entity`, {
      headers: { 'x-request-id': 'lb-7f3a.42' },
    });
    expect(given.headers.get('x-request-id')).toBe('lb-7f3a.42');
    expect(given.body.request_id).toBe('lb-7f3a.42');
    const invalid = await call(`${api.base}/api/v3/entity`, {
      headers: { 'x-request-id': 'x'.repeat(200) },
    });
    expect(invalid.headers.get('x-request-id')).toMatch(/^[0-9a-f]{16}-[0-9a-z]+$/);
  });

  it('Swagger UI pages get the policy Swagger UI works under', async () => {
    const page = await fetch(`${api.base}/swagger/`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ${new URL(api.config.aim.authorities[0]).origin}`);
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(page.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const json = await fetch(`${api.base}/swagger/json`);
    expect(json.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});

describe('ops: failed-authentication limit', () => {
  it('answers 429 with Retry-After once an address failed AUTH_FAILURE_LIMIT times, before verifying anything', async () => {
    const api = await startApi({ env: { AUTH_FAILURE_LIMIT: '5' } });
    try {
      const url = `${api.base}/api/v3/systemAttribute/199`;
      const operator = await userToken('mes\\operator');
      // A caller that got in before the flood: its token is remembered (verified lately).
      expect((await call(url, { token: operator })).status).toBe(200);

      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await call(url, { token: `guess.${i}.token` })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401]);

      const limited = await call(url, { token: 'guess.6.token' });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toMatch(PROBLEM);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.body).toEqual({
        type: 'urn:mes-web-api:problem:too_many_auth_failures',
        title: 'Too many failed authentications',
        status: 429,
        detail: expect.stringContaining(`${retryAfter} s`),
        code: 'TOO_MANY_AUTH_FAILURES',
        instance: '/mesmw/api/v3/systemAttribute/199',
        request_id: limited.headers.get('x-request-id'),
      });
      expect(limited.text).not.toContain('guess.6.token');

      // Never slowed: the remembered caller, public routes, and requests without a token (a
      // cheap 401, no verification).
      expect((await call(url, { token: operator })).status).toBe(200);
      expect((await call(`${api.base}/health`)).status).toBe(200);
      expect((await call(`${api.base}/health/ready`)).status).toBe(200);
      expect((await call(url)).status).toBe(401);
      // A token not verified yet from the blocked address waits for the window, like a guess.
      const service = await serviceToken();
      expect((await call(url, { token: service })).status).toBe(429);

      const metricsUrl = await api.app.get(MetricsServer).listen('127.0.0.1', 0);
      const text = await scrape(metricsUrl);
      expect(
        sumWhere(
          text,
          'mes_auth_outcomes_total',
          'outcome="limited"',
          'reason="TOO_MANY_AUTH_FAILURES"',
        ),
      ).toBe(2);
      expect(
        sumWhere(text, 'mes_auth_outcomes_total', 'outcome="refused"', 'reason="TOKEN_INVALID"'),
      ).toBe(5);
    } finally {
      await api.close();
    }
  });

  it('counts per client address behind a trusted proxy (TRUST_PROXY, X-Forwarded-For)', async () => {
    const api = await startApi({ env: { AUTH_FAILURE_LIMIT: '2', TRUST_PROXY: '127.0.0.1' } });
    try {
      const url = `${api.base}/api/v3/systemAttribute/199`;
      const from = (address: string, token: string) =>
        call(url, { token, headers: { 'x-forwarded-for': address } });
      expect((await from('203.0.113.7', 'a.b.c')).status).toBe(401);
      expect((await from('203.0.113.7', 'a.b.c')).status).toBe(401);
      expect((await from('203.0.113.7', 'a.b.c')).status).toBe(429);
      // Another client behind the same proxy is not affected.
      expect((await from('198.51.100.9', 'a.b.c')).status).toBe(401);
    } finally {
      await api.close();
    }
  });

  it('AUTH_FAILURE_LIMIT=0 turns it off', async () => {
    const api = await startApi({ env: { AUTH_FAILURE_LIMIT: '0' } });
    try {
      const url = `${api.base}/api/v3/systemAttribute/199`;
      const statuses = new Set<number>();
      for (let i = 0; i < 30; i++) statuses.add((await call(url, { token: 'x.y.z' })).status);
      expect([...statuses]).toEqual([401]);
    } finally {
      await api.close();
    }
  });
});
