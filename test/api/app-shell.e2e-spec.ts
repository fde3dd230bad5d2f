import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createConnection, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { call, RunningApi, startApi } from '../support/api';
import { userToken } from '../support/tokens';

const PROBLEM = /^application\/problem\+json/;

describe('API shell: health, error shape, limits, CORS', () => {
  let api: RunningApi;
  let operator: string;

  beforeAll(async () => {
    api = await startApi({ env: { BODY_LIMIT_BYTES: '4096' } });
    operator = await userToken('mes\\operator');
  });
  afterAll(() => api.close());

  it('GET /mesmw/health is public and answers status words only (no issuer, no user id)', async () => {
    const res = await call(`${api.base}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      status: expect.stringMatching(/^(ok|degraded)$/),
      database: 'up',
      authorities: expect.stringMatching(/^(up|pending)$/),
      background_user: 'valid',
      cache: 'healthy',
    });
    expect(res.text).not.toContain(api.config.aim.authorities[0]);
    expect(res.text).not.toMatch(/Default Background User|secret|password/i);
  });

  it('GET /mesmw/health/details needs a token and reports the database, authorities and background user', async () => {
    expect((await call(`${api.base}/health/details`)).status).toBe(401);
    const res = await call(`${api.base}/health/details`, { token: operator });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({
      status: expect.stringMatching(/^(ok|degraded)$/),
      database: { status: 'up', type: 'sqlite' },
      background_user: { configuredUserId: 'Default Background User', valid: true },
    });
    expect(res.body.authorities).toEqual([
      expect.objectContaining({
        issuer: api.config.aim.authorities[0],
        keyFetches: expect.any(Number),
      }),
    ]);
    expect(res.text).not.toMatch(/secret|password/i);
  });

  it('answers health with a query, HEAD, a wrong verb; trans_id does not apply to it', async () => {
    const withQuery = await call(`${api.base}/health?verbose=1`);
    expect(withQuery.status).toBe(200);
    const head = await fetch(`${api.base}/health`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const post = await call(`${api.base}/health`, { method: 'POST', body: {} });
    expect(post.status).toBe(405);
    const transaction = await call(`${api.base}/health`, { headers: { trans_id: '42' } });
    expect(transaction.status).toBe(200);
  });

  it('answers pipelined requests whole and in order', async () => {
    const server = api.app.getHttpServer() as Server;
    const accepted: Socket[] = [];
    const onConnection = (socket: Socket) => accepted.push(socket);
    server.on('connection', onConnection);
    const client = createConnection(Number(new URL(api.origin).port), '127.0.0.1');
    try {
      await once(client, 'connect');
      const get = (path: string, headers = '') =>
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`;
      let text = '';
      client.on('data', (d: Buffer) => (text += d.toString()));
      const ended = once(client, 'end');
      // Three requests in one packet: public health, a route with a token, an unknown route.
      client.write(
        get('/mesmw/health') +
          get('/mesmw/api/v3/systemAttribute/199', `Authorization: Bearer ${operator}\r\n`) +
          get('/mesmw/nothing-here', 'Connection: close\r\n'),
      );
      await ended;
      const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
      expect(statuses).toEqual([200, 200, 404]);
      expect(text).toContain('"attr_id":199');
      expect(accepted).toHaveLength(1);
    } finally {
      server.off('connection', onConnection);
      client.destroy();
    }
  });

  it('answers 401 problem+json with WWW-Authenticate: Bearer without a token', async () => {
    const res = await call(`${api.base}/api/v3/systemAttribute/199`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
    expect(res.body).toMatchObject({
      status: 401,
      code: 'TOKEN_MISSING',
      type: expect.any(String),
      title: expect.any(String),
    });
  });

  it('answers 401 with error="invalid_token" for a bad token, never echoing it', async () => {
    const bogus = 'not-a-jwt-but-secret-looking-value';
    const res = await call(`${api.base}/api/v3/systemAttribute/199`, { token: bogus });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(res.text).not.toContain(bogus);
  });

  it('answers 404 problem+json for an unknown endpoint', async () => {
    const res = await call(`${api.base}/api/v3/noSuchThing`, { token: operator });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
    expect(res.body).toMatchObject({
      status: 404,
      code: 'ROUTE_NOT_FOUND',
      detail: 'Unknown endpoint.',
    });
  });

  it('answers 405 with Allow for a wrong verb on an existing endpoint (names are case-insensitive)', async () => {
    const res = await call(`${api.base}/api/v3/SYSTEMATTRIBUTE/199`, {
      method: 'DELETE',
      token: operator,
    });
    expect(res.status).toBe(405);
    const allow = (res.headers.get('allow') ?? '').split(', ');
    expect(allow).toEqual(expect.arrayContaining(['GET', 'PUT']));
    expect(allow).not.toContain('DELETE');
    expect(res.body).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
  });

  it('answers 404 TRANSACTION_NOT_FOUND for a trans_id that was never opened, after auth', async () => {
    const cases: { url: string; headers: Record<string, string> }[] = [
      { url: `${api.base}/api/v3/systemAttribute/199?trans_id=42`, headers: {} },
      { url: `${api.base}/api/v3/systemAttribute/199`, headers: { trans_id: '42' } },
    ];
    for (const init of cases) {
      const res = await call(init.url, { token: operator, headers: init.headers });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'TRANSACTION_NOT_FOUND', status: 404 });
      expect(res.body.detail).toBe(
        'The transaction ID "42" doesn\'t exist: it timed out or was not started.',
      );
    }
    const anonymous = await call(`${api.base}/api/v3/systemAttribute/199?trans_id=42`);
    expect(anonymous.status).toBe(401);
    const write = await call(`${api.base}/api/v3/systemAttribute/199`, {
      method: 'PUT',
      token: operator,
      headers: { trans_id: '7' },
      body: { attr_value: 'mes\\operator' },
    });
    expect(write.status).toBe(404);
    expect(write.body.code).toBe('TRANSACTION_NOT_FOUND');
  });

  it('answers 413 for a body over BODY_LIMIT_BYTES, and 415 for a wrong content type', async () => {
    const big = await call(`${api.base}/api/v3/systemAttribute/199`, {
      method: 'PUT',
      token: operator,
      body: { attr_value: 'x'.repeat(10_000) },
    });
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toMatch(PROBLEM);
    const xml = await call(`${api.base}/api/v3/systemAttribute/199`, {
      method: 'PUT',
      token: operator,
      body: '<attr_value/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
    expect(xml.headers.get('content-type')).toMatch(PROBLEM);
  });

  it('sends no CORS headers when CORS_ORIGINS is not set', async () => {
    const res = await fetch(`${api.base}/health`, {
      headers: { origin: 'https://portal.example.com' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 503 from health when the database is down', async () => {
    const other = await startApi();
    try {
      await other.app.get(DataSource).destroy();
      // The report is reused for one second; wait past it.
      await new Promise((r) => setTimeout(r, 1100));
      const res = await call(`${other.base}/health`);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'down', database: 'down' });
    } finally {
      await other.close().catch(() => undefined);
    }
  });
});

describe('API shell: CORS and HTTPS when configured', () => {
  it('answers a CORS preflight for a configured origin only', async () => {
    const api = await startApi({ env: { CORS_ORIGINS: 'https://portal.example.com' } });
    try {
      const preflight = (origin: string) =>
        fetch(`${api.base}/api/v3/systemAttribute/199`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'PUT',
            'access-control-request-headers': 'authorization,content-type',
          },
        });
      const ok = await preflight('https://portal.example.com');
      expect(ok.status).toBeLessThan(300);
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://portal.example.com');
      expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
      const other = await preflight('https://evil.example.com');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await api.close();
    }
  });

  it('with CORS configured, answers health and warm reads with the CORS headers', async () => {
    // @fastify/cors adds Vary: Origin (and the exposed headers) to every answer: a cache must not
    // serve an answer without them to a browser.
    const api = await startApi({ env: { CORS_ORIGINS: 'https://portal.example.com' } });
    try {
      const token = await userToken('mes\\operator');
      for (const path of ['/health', '/api/v3/entity/key?entId=5']) {
        for (let i = 0; i < 3; i++) {
          const res = await call(`${api.base}${path}`, { token });
          expect({ path, status: res.status, vary: res.headers.get('vary') }).toEqual({
            path,
            status: 200,
            vary: 'Origin',
          });
        }
      }
    } finally {
      await api.close();
    }
  });

  it('serves HTTPS with TLS_CERT_FILE / TLS_KEY_FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mes-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const api = await startApi({ env: { TLS_CERT_FILE: cert, TLS_KEY_FILE: key } });
    const secured: Socket[] = [];
    (api.app.getHttpServer() as Server).on('secureConnection', (s: Socket) => secured.push(s));
    try {
      const port = new URL(api.origin).port;
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpsRequest(
          { host: '127.0.0.1', port, path: '/mesmw/health', rejectUnauthorized: false },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(200);
      expect(secured).toHaveLength(1);
    } finally {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
