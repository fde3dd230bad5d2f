import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliIo, EXIT, run } from './cli';

const SECRET = 'cli-secret-xyz';
const BASE = 'http://127.0.0.1:7001';

interface Seen {
  method: string;
  url: string;
  authorization: string | null;
  body?: string;
}

/** A fake fetch standing for the authority (discovery, token) and the MES Web API. */
function fakeFetch(api: (seen: Seen) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    const headers = new Headers(init?.headers);
    const entry: Seen = {
      method: init?.method ?? 'GET',
      url,
      authorization: headers.get('authorization'),
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    seen.push(entry);
    if (url.endsWith('/.well-known/openid-configuration')) {
      return Response.json({ token_endpoint: `${BASE}/identitymanager/connect/token` });
    }
    if (url.endsWith('/connect/token')) {
      const form = new URLSearchParams(entry.body);
      return form.get('client_secret') === SECRET
        ? Response.json({ access_token: 'svc-token', expires_in: 3600 })
        : Response.json({ error: 'invalid_client' }, { status: 401 });
    }
    return api(entry);
  };
  return { fetch: fetch, seen };
}

describe('mes CLI run()', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mes-cli-'));
    file = join(dir, 'defs.yaml');
    writeFileSync(
      file,
      [
        '- Name: svc',
        `  Base Address: ${BASE}/mesmw/`,
        '  Request (URI): api',
        '  Authentication Mode: Service to Service Access Token',
        `  Authority: ${BASE}/identitymanager`,
        '  Client ID: mes-scheduler',
        '  Client Secret: env:CLI_TEST_SECRET',
        '- Name: usr',
        `  Base Address: ${BASE}/mesmw/`,
        '  Request (URI): api',
        '  Authentication Mode: User Access Token',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'body.json'), '{"ent_name":"Line 9"}');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function cli(
    argv: string[],
    api: (seen: Seen) => Response | Promise<Response> = () => Response.json({ ok: true }),
    env: Record<string, string> = { CLI_TEST_SECRET: SECRET },
  ) {
    const out: string[] = [];
    const err: string[] = [];
    const { fetch, seen } = fakeFetch(api);
    const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, fetch };
    const code = await run(argv, io);
    const stdout = out.join('');
    const stderr = err.join('');
    expect(stdout + stderr).not.toContain(SECRET);
    expect(stdout + stderr).not.toContain('svc-token');
    return { code, stdout, stderr, seen };
  }

  it('prints the JSON response pretty and exits 0 (service to service)', async () => {
    const { code, stdout, seen } = await cli(
      ['--definition', file, '--name', 'svc', 'GET', 'api/v3/entity', '-q', 'max_rows=2', '-v'],
      () => Response.json([{ ent_id: 1 }]),
    );
    expect(code).toBe(EXIT.ok);
    expect(stdout).toBe('[\n  {\n    "ent_id": 1\n  }\n]\n');
    expect(seen.at(-1)).toMatchObject({
      url: `${BASE}/mesmw/api/v3/entity?max_rows=2`,
      authorization: 'Bearer svc-token',
    });
  });

  it('sends --data inline or from @file, with placeholders and headers', async () => {
    const inline = await cli([
      '-d',
      file,
      '-n',
      'usr',
      'put',
      'api/v3/entity/{id}',
      '-p',
      'id=4 2',
      '--data',
      '{"a":1}',
      '-H',
      'trans_id: 7',
      '--user-token',
      'u-tok',
    ]);
    expect(inline.code).toBe(EXIT.ok);
    expect(inline.seen[0]).toMatchObject({
      method: 'PUT',
      url: `${BASE}/mesmw/api/v3/entity/4%202`,
      authorization: 'Bearer u-tok',
      body: '{"a":1}',
    });
    const fromFile = await cli(
      ['-d', file, '-n', 'usr', 'POST', 'v3/entity', '--data', `@${join(dir, 'body.json')}`],
      undefined,
      {
        MES_USER_TOKEN: 'env-tok',
        CLI_TEST_SECRET: SECRET,
      },
    );
    expect(fromFile.code).toBe(EXIT.ok);
    expect(fromFile.seen[0]).toMatchObject({
      authorization: 'Bearer env-tok',
      body: '{"ent_name":"Line 9"}',
    });
  });

  it.each([
    [404, EXIT.clientError],
    [403, EXIT.clientError],
    [500, EXIT.serverError],
    [503, EXIT.serverError],
  ])('exits by status class: %i → %i, printing the MES message', async (status, exit) => {
    const { code, stderr, stdout } = await cli(
      ['-d', file, '-n', 'usr', 'POST', 'api/v3/entity', '--user-token', 't', '--data', '{}'],
      () => Response.json({ status, detail: `failure ${status}` }, { status }),
    );
    expect(code).toBe(exit);
    expect(stderr).toBe(`HTTP ${status}: failure ${status}\n`);
    expect(stdout).toBe('');
  });

  it.each([
    [[], 'Missing --definition'],
    [['-d', 'x.json', 'GET', 'api'], 'Missing --name'],
    [['-d', 'x.json', '-n', 'a', 'GET'], 'Expected <VERB> <route>'],
    [['-d', 'x.json', '-n', 'a', 'FETCH', 'api'], 'Unknown verb "FETCH"'],
    [['-d', 'x.json', '-n', 'a', 'GET', 'api', '--bogus'], "Unknown option '--bogus'"],
    [['-d', 'x.json', '-n', 'a', 'POST', 'api', '--data', '{nope'], '--data is not valid JSON'],
    [
      ['-d', 'x.json', '-n', 'a', 'POST', 'api', '--data', '@/nonexistent.json'],
      'cannot be read (ENOENT)',
    ],
    [
      ['-d', 'x.json', '-n', 'a', 'GET', 'api', '--timeout', 'soon'],
      '--timeout needs a non-negative integer',
    ],
  ])('exits 2 on usage errors: %j', async (argv, message) => {
    const { code, stderr } = await cli(argv);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: npm run mes');
  });

  it('exits 2 on definition problems: unreadable file, unknown name, missing placeholder', async () => {
    expect((await cli(['-d', join(dir, 'none.json'), '-n', 'usr', 'GET', 'api'])).code).toBe(
      EXIT.usage,
    );
    const unknown = await cli(['-d', file, '-n', 'nope', 'GET', 'api']);
    expect(unknown).toMatchObject({
      code: EXIT.usage,
      stderr: 'Unknown Web API definition "nope" (known: "svc", "usr")\n',
    });
    const missingEnv = await cli(['-d', file, '-n', 'usr', 'GET', 'api'], undefined, {});
    expect(missingEnv.code).toBe(EXIT.usage);
    expect(missingEnv.stderr).toContain('environment variable CLI_TEST_SECRET, which is not set');
    const placeholder = await cli([
      '-d',
      file,
      '-n',
      'usr',
      'GET',
      'api/jobs?woId={woId}',
      '--user-token',
      't',
    ]);
    expect(placeholder.code).toBe(EXIT.usage);
  });

  it('exits 3 when no token can be had', async () => {
    const noUserToken = await cli(['-d', file, '-n', 'usr', 'GET', 'api/v3/entity']);
    expect(noUserToken.code).toBe(EXIT.auth);
    expect(noUserToken.stderr).toContain('--user-token');
    const badSecret = await cli(['-d', file, '-n', 'svc', 'GET', 'api/v3/entity'], undefined, {
      CLI_TEST_SECRET: 'wrong',
    });
    expect(badSecret.code).toBe(EXIT.auth);
    expect(badSecret.stderr).toContain('invalid_client');
  });

  it('exits 1 on network errors', async () => {
    const { code, stderr } = await cli(
      ['-d', file, '-n', 'usr', 'GET', 'api/v3/entity', '--user-token', 't', '--retries', '0'],
      () => {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      },
    );
    expect(code).toBe(EXIT.other);
    expect(stderr).toContain('ECONNREFUSED');
  });

  it('prints help', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('Exit codes: 0 2xx, 4 4xx, 5 5xx');
  });
});
