import { connect } from 'node:net';
import Database from 'better-sqlite3';
import { call, RunningApi, startApi } from '../support/api';
import { TestAuthority } from '../support/test-authority';

/*
 * Malformed HTTP is answered with a clear status (and a problem body where HTTP allows one),
 * never crashes the process, and changes no data. Job WO-1001/OP30/0 (Ready) is the target of
 * every write attempt; it must still be Ready afterwards.
 */

const BODY_LIMIT = 2048;

/** Sends raw bytes on a new connection; resolves with everything the server wrote back. */
function raw(origin: string, bytes: string | Buffer): Promise<string> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let out = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('timeout')));
    socket.on('data', (c) => (out += c.toString('latin1')));
    socket.on('error', (err) => (out ? resolve(out) : reject(err)));
    socket.on('close', () => resolve(out));
    socket.end(bytes);
  });
}

const statusOf = (response: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);

describe('faults: malformed HTTP', () => {
  let authority: TestAuthority;
  let api: RunningApi;
  let token: string;
  const job = { wo_id: 'WO-1001', oper_id: 'OP30', seq_no: 0 };

  const jobState = (): unknown => {
    const db = new Database(api.dbPath, { readonly: true });
    try {
      return db
        .prepare(
          'SELECT state_cd, qty_prod, run_ent_id, last_edit_at FROM job WHERE wo_id = ? AND oper_id = ? AND seq_no = ?',
        )
        .get(job.wo_id, job.oper_id, job.seq_no);
    } finally {
      db.close();
    }
  };
  let before: unknown;

  beforeAll(async () => {
    authority = await TestAuthority.start();
    api = await startApi({
      env: { AIM_AUTHORITY: authority.issuer, BODY_LIMIT_BYTES: String(BODY_LIMIT) },
    });
    token = await authority.userToken('mes\\supervisor');
    before = jobState();
  });

  afterAll(async () => {
    await api?.close();
    await authority?.stop();
  });

  afterEach(async () => {
    // Still alive and answering, and nothing was written.
    expect((await call(`${api.base}/health`)).status).toBe(200);
    expect(jobState()).toEqual(before);
  });

  it('answers 431 to oversized request headers', async () => {
    const response = await raw(
      api.origin,
      `GET /mesmw/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`,
    );
    expect(statusOf(response)).toBe(431);
    // A problem body, and the connection is closed on purpose, so keep-alive clients reconnect.
    expect(response).toMatch(/\r\nConnection: close\r\n/i);
    expect(response).toContain('"code":"HEADERS_TOO_LARGE"');
  });

  it('answers 400 with a problem body to invalid JSON', async () => {
    const res = await call(`${api.base}/api/v3/Jobs/Start`, {
      method: 'PUT',
      token,
      body: '{"wo_id": "WO-1001", "oper_id": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, title: expect.any(String) as unknown });
    expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/); // no stack trace
  });

  it.each([
    [
      'application/x-www-form-urlencoded',
      'wo_id=WO-1001&oper_id=OP30&seq_no=0&ent_id=6&run_ent_id=6',
    ],
    ['text/plain', '{"wo_id":"WO-1001","oper_id":"OP30","seq_no":0,"ent_id":6,"run_ent_id":6}'],
    ['application/xml', '<job><wo_id>WO-1001</wo_id></job>'],
  ])('answers 415 with a problem body to a %s body', async (type, body) => {
    const res = await call(`${api.base}/api/v3/Jobs/Start`, {
      method: 'PUT',
      token,
      body,
      headers: { 'content-type': type },
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers 400 to JSON that tries prototype poisoning', async () => {
    const res = await call(`${api.base}/api/v3/Jobs/Start`, {
      method: 'PUT',
      token,
      body: '{"wo_id":"WO-1001","oper_id":"OP30","seq_no":0,"ent_id":6,"run_ent_id":6,"__proto__":{"admin":true}}',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400 });
  });

  it('answers 400 MALFORMED_BODY to a body nested deeper than 64 levels, on any write route', async () => {
    const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);
    for (const [method, path] of [
      ['PUT', '/api/v3/Jobs/Start'],
      ['POST', '/api/v3/MiddlewareAccess'],
      ['POST', '/api/v3/production/byJob'],
    ] as const) {
      const res = await call(`${api.base}${path}`, {
        method,
        token,
        body: `{"wo_id":"WO-1001","oper_id":"OP30","seq_no":0,"ent_id":6,"run_ent_id":6,"comment":${deep(900)}}`,
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 400, code: 'MALFORMED_BODY' });
      expect(String(res.body.detail)).toContain('64 levels');
    }
    // 64 levels are still parsed (and then refused by validation, not by the parser).
    const ok = await call(`${api.base}/api/v3/Jobs/Start`, {
      method: 'PUT',
      token,
      body: `{"wo_id":"WO-1001","oper_id":"OP30","seq_no":0,"ent_id":6,"run_ent_id":6,"comment":${deep(63)}}`,
    });
    expect(ok.status).toBe(400);
    expect(ok.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('answers 413 with a problem body to a body over BODY_LIMIT_BYTES', async () => {
    const res = await call(`${api.base}/api/v3/Jobs/Start`, {
      method: 'PUT',
      token,
      body: { ...job, ent_id: 6, run_ent_id: 6, comment: 'x'.repeat(BODY_LIMIT * 2) },
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 413 });
  });

  it('answers 413 to a huge body announced by Content-Length, without reading it', async () => {
    const response = await raw(
      api.origin,
      `PUT /mesmw/api/v3/Jobs/Start HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 104857600\r\nConnection: close\r\n\r\n{"wo_id":`,
    );
    expect(statusOf(response)).toBe(413);
  });

  it('answers 400 to a request line that is not HTTP', async () => {
    const response = await raw(api.origin, 'HELLO THERE\r\n\r\n');
    expect(statusOf(response)).toBe(400);
  });
});
