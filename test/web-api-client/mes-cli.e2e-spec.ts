import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The real CLI process (no build: ts-node transpile-only + tsconfig-paths, as `npm run mes`),
// against a local fake MES Web API; checks stdout and the process exit code.
const ROOT = resolve(__dirname, '../..');

function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'apps/mes-client-cli/src/main.ts',
        ...args,
      ],
      { cwd: ROOT, env: { ...process.env, ...env } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('mes CLI process', () => {
  // Three ts-node processes start at once: a few seconds each on a busy 2-core machine.
  jest.setTimeout(30_000);
  let server: Server;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const status = req.url?.includes('missing') ? 404 : 200;
      const body =
        status === 200
          ? [{ ent_id: 1, auth: req.headers.authorization }]
          : { status, detail: 'The specified entity does not exist' };
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const { port } = server.address() as AddressInfo;
    dir = mkdtempSync(join(tmpdir(), 'mes-cli-e2e-'));
    file = join(dir, 'defs.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          Name: 'usr',
          'Base Address': `http://127.0.0.1:${port}/mesmw/`,
          'Request (URI)': 'api',
          'Authentication Mode': 'User Access Token',
        },
      ]),
    );
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((closed) => server.close(() => closed()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the response and exits 0; exits 4 on a 404; exits 3 without a user token', async () => {
    const [ok, notFound, noToken] = await Promise.all([
      runCli(['--definition', file, '--name', 'usr', 'GET', 'api/v3/entity'], {
        MES_USER_TOKEN: 'tok-e2e',
      }),
      runCli(['-d', file, '-n', 'usr', 'GET', 'api/v3/missing', '--user-token', 'x'], {}),
      runCli(['-d', file, '-n', 'usr', 'GET', 'api/v3/entity'], { MES_USER_TOKEN: '' }),
    ]);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(ok.stdout)).toEqual([{ ent_id: 1, auth: 'Bearer tok-e2e' }]);
    expect(notFound).toMatchObject({
      code: 4,
      stdout: '',
      stderr: 'HTTP 404: The specified entity does not exist\n',
    });
    expect(noToken.code).toBe(3);
  });
});
