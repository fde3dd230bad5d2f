import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The mes-web-api repository: its development authority and token flows (not its libs). */
export const REPO = resolve(
  process.env.MES_WEB_API_REPO ?? join(__dirname, '..', '..', '..', '..'),
);

interface TokenFlows {
  getUserToken(opts: { issuer: string; username: string }): Promise<string>;
  getClientToken(opts: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    scope?: string;
  }): Promise<string>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const flows = require(join(REPO, 'scripts', 'dev-token-flows.js')) as TokenFlows;

export interface Authority {
  issuer: string;
  userToken(username: string): Promise<string>;
  serviceToken(): Promise<string>;
  stop(): Promise<void>;
}

/** Starts apps/aim-dev-authority on a free port with a throwaway signing key. */
export async function startAuthority(): Promise<Authority> {
  const dir = mkdtempSync(join(tmpdir(), 'consumer-authority-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [join(REPO, 'apps', 'aim-dev-authority', 'src', 'main.mjs')],
    {
      cwd: REPO,
      env: {
        ...process.env,
        AIM_DEV_PORT: '0',
        AIM_DEV_KEY_FILE: join(dir, 'jwks.json'),
        AIM_DEV_EXIT_WITH_STDIN: '1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  let issuer: string | undefined;
  while (issuer === undefined) {
    issuer = /aim-dev-authority ready: (http:\/\/127\.0\.0\.1:\d+\/identitymanager)/.exec(
      output,
    )?.[1];
    if (issuer !== undefined) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the development authority did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const tokens = new Map<string, Promise<string>>();
  const once = (key: string, get: () => Promise<string>): Promise<string> => {
    if (!tokens.has(key)) tokens.set(key, get());
    return tokens.get(key) as Promise<string>;
  };
  const ready = issuer;
  return {
    issuer: ready,
    userToken: (username) =>
      once(`user:${username}`, () => flows.getUserToken({ issuer: ready, username })),
    serviceToken: () =>
      once('service', () =>
        flows.getClientToken({
          issuer: ready,
          clientId: 'mes-scheduler',
          clientSecret: 'dev-scheduler-secret',
          scope: 'system',
        }),
      ),
    stop,
  };
}
