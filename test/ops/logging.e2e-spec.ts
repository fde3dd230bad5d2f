import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eIssuer } from '../support/api';
import { DEV_AUTHORITY } from '../support/dev-authority';
import { serviceToken, userToken } from '../support/tokens';
import { ApiProcess, ROOT, startApiProcess } from './ops-support';

const MAIN = join(ROOT, 'apps', 'mes-web-api', 'src', 'main.ts');

/*
 * The API as a real process in json mode (NODE_ENV=production): every request has its access-log
 * line with every field; no token, secret, password, query string or body is ever written, at
 * any level (LOG_LEVEL=verbose); the log survives SIGTERM whole (the asynchronous stdout stream
 * is flushed at exit: one line per request, none missing).
 */

interface Line {
  level: string;
  time: number;
  msg: string;
  context?: string;
  req_id?: string;
  method?: string;
  route?: string;
  path?: string;
  status?: number;
  duration_ms?: number;
  client_ip?: string;
  user?: string;
  mode?: string;
  client_id?: string;
}

describe('ops: structured logs (json, access log, no secrets)', () => {
  let dir: string;
  let api: ApiProcess;
  let operator: string;
  let service: string;
  // A well-formed token with a guessed signature (made here: no literal token in the sources).
  const part = (text: string): string => Buffer.from(text).toString('base64url');
  const badToken = [
    part('{"alg":"RS256"}'),
    part('{"sub":"guess"}'),
    part('secret-guess-signature'),
  ].join('.');
  const querySecret = 'query-secret-4711';
  const bodySecret = 'body-secret-0815';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-ops-log-'));
    [operator, service] = await Promise.all([userToken('mes\\operator'), serviceToken()]);
    api = await startApiProcess({
      NODE_ENV: 'production',
      LOG_LEVEL: 'verbose',
      DB_PATH: join(dir, 'mes.sqlite'),
      AIM_AUTHORITY: e2eIssuer(),
      DB_PASSWORD: 'db-password-never-logged',
    });
  }, 60_000);

  afterAll(async () => {
    await api?.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one line per request with every field, never a token, secret, query or body, and loses none at exit', async () => {
    const sent: { id: string; expect: Partial<Line> }[] = [];
    const send = async (
      path: string,
      init: { token?: string; method?: string; body?: string; id?: string },
      expected: Partial<Line>,
    ): Promise<Response> => {
      const headers: Record<string, string> = {};
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      if (init.id) headers['x-request-id'] = init.id;
      if (init.body) headers['content-type'] = 'application/json';
      const res = await fetch(`${api.base}${path}`, {
        method: init.method ?? 'GET',
        headers,
        body: init.body,
      });
      await res.text();
      const id = res.headers.get('x-request-id') ?? '';
      expect(id).not.toBe('');
      if (init.id && !init.id.includes(' ')) expect(id).toBe(init.id);
      sent.push({ id, expect: { status: res.status, ...expected } });
      return res;
    };

    await send(
      '/api/v3/entity/key?entId=5',
      { token: operator, id: 'trace-user-1' },
      {
        method: 'GET',
        route: '/mesmw/api/v3/entity/key',
        path: '/mesmw/api/v3/entity/key',
        status: 200,
        user: 'mes\\operator',
        mode: 'user',
        client_id: expect.any(String),
      },
    );
    await send(
      '/api/v3/systemAttribute/199',
      { token: service },
      {
        route: '/mesmw/api/v3/systemAttribute/:attrId',
        path: '/mesmw/api/v3/systemAttribute/199',
        status: 200,
        user: 'Default Background User',
        mode: 'service',
        client_id: DEV_AUTHORITY.serviceClientId,
      },
    );
    await send(`/api/v3/entity?secret=${querySecret}`, { token: badToken }, { status: 401 });
    await send('/api/v3/entity', {}, { status: 401 });
    await send(
      '/api/v3/systemAttribute/199',
      { token: operator, method: 'PUT', body: JSON.stringify({ attr_value: bodySecret }) },
      { route: '/mesmw/api/v3/systemAttribute/:attrId', method: 'PUT' },
    );
    await send(`/no/such/route?password=${querySecret}`, {}, { route: '<unmatched>', status: 404 });
    await send('/health', { id: 'bad id with spaces' }, { route: '/mesmw/health', status: 200 });

    // SIGTERM right after the last answer: the lines still buffered must come out at exit.
    const exit = await api.stop('SIGTERM');
    expect(exit.code).toBe(0);

    const output = api.output();
    const lines: Line[] = [];
    const notJson: string[] = [];
    for (const raw of output.split('\n').filter((l) => l.trim() !== '')) {
      try {
        lines.push(JSON.parse(raw) as Line);
      } catch {
        notJson.push(raw);
      }
    }
    expect(notJson).toEqual([]);
    for (const line of lines) {
      expect(line).toMatchObject({ level: expect.any(String), time: expect.any(Number) });
    }

    const access = lines.filter((l) => l.context === 'http' && l.msg === 'request');
    expect(access).toHaveLength(sent.length);
    for (const request of sent) {
      const line = access.find((l) => l.req_id === request.id);
      expect({ id: request.id, line }).toEqual({
        id: request.id,
        line: expect.objectContaining({
          level: 'info',
          method: expect.any(String),
          route: expect.any(String),
          path: expect.any(String),
          status: expect.any(Number),
          duration_ms: expect.any(Number),
          client_ip: '127.0.0.1',
          ...request.expect,
        }),
      });
    }
    // The invalid x-request-id was replaced (and never written).
    expect(output).not.toContain('bad id with spaces');
    expect(access.find((l) => l.path === '/mesmw/health')?.req_id).toMatch(
      /^[0-9a-f]{16}-[0-9a-z]+$/,
    );

    // Nothing secret anywhere in the whole log of the run, at LOG_LEVEL=verbose.
    for (const secret of [
      operator,
      service,
      badToken,
      operator.split('.')[2],
      service.split('.')[2],
      DEV_AUTHORITY.serviceClientSecret,
      'db-password-never-logged',
      querySecret,
      bodySecret,
      'Bearer ',
    ]) {
      expect({ secret, found: output.includes(secret) }).toEqual({ secret, found: false });
    }
    expect(output).not.toMatch(/authorization/i);
  }, 60_000);
});

describe('ops: start-up failures in json mode', () => {
  /** main.ts until it exits (it must, within 40 s); its exit code and stderr. */
  const runMain = (env: Record<string, string>): { status: number | null; stderr: string } => {
    const run = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', MAIN],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 40_000,
        env: {
          ...process.env,
          TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
          NODE_ENV: 'production',
          PORT: '0',
          AIM_AUTHORITY: e2eIssuer(),
          ...env,
        },
      },
    );
    return { status: run.status, stderr: run.stderr };
  };

  it('a bad setting is one JSON line naming it', () => {
    const { status, stderr } = runMain({ METRICS_PORT: 'ninety', DB_PASSWORD: 'never-shown' });
    expect(status).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'fatal',
      msg: 'mes-web-api: Invalid METRICS_PORT="ninety": expected an integer from 0 to 65535.',
    });
    expect(stderr).not.toContain('never-shown');
  });

  it('a metrics port in use stops start-up with one line saying what to set', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const { port } = busy.address() as AddressInfo;
    const dir = mkdtempSync(join(tmpdir(), 'mes-ops-busy-'));
    try {
      const { status, stderr } = runMain({
        METRICS_PORT: String(port),
        DB_PATH: join(dir, 'mes.sqlite'),
      });
      expect(status).toBe(1);
      const fatal = stderr
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Line)
        .find((l) => l.level === 'fatal');
      expect(fatal?.msg).toBe(
        `mes-web-api: cannot start: Cannot serve metrics on 127.0.0.1:${port} (EADDRINUSE): set METRICS_PORT to a free port (0: any free port) and METRICS_HOST to an address of this machine, or METRICS_PORT=off.`,
      );
    } finally {
      busy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
