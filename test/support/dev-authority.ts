// Starts the development token authority (apps/aim-dev-authority) as a child process for tests,
// and gets real tokens from it through scripts/dev-token-flows.js.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const MAIN = join(ROOT, 'apps', 'aim-dev-authority', 'src', 'main.mjs');
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

export interface DevAuthorityOptions {
  /** Port on 127.0.0.1; default: a free port chosen by the authority. */
  port?: number;
  /** Signing key file; default: a new temporary file, deleted by stop(). */
  keyFile?: string;
  /** Add a new signing key first; older keys in keyFile stay published. */
  rotateKey?: boolean;
  /** Extra redirect URIs for the public client mes-swagger-ui. */
  redirectUris?: string[];
  /** `scope` claim as a space-separated string (default, RFC 9068) or an array (like AIM). */
  scopeFormat?: 'string' | 'array';
  /** Access token lifetime in seconds (default 3600). */
  accessTokenTtlS?: number;
}

export interface DevAuthority {
  /** e.g. http://127.0.0.1:40123/identitymanager */
  issuer: string;
  port: number;
  /** The signing key file in use (pass it to a later start to keep the same keys). */
  keyFile: string;
  /** SIGTERM, then wait for the process to exit. Idempotent. */
  stop(): Promise<void>;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  id_token?: string;
}

export interface ClientTokenOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  authMethod?: 'client_secret_basic' | 'client_secret_post';
}

export interface UserTokenOptions {
  issuer: string;
  username: string;
  /** Default: the part of the user name after the backslash. */
  password?: string;
  /** Default: mes-cli. */
  clientId?: string;
  redirectUri?: string;
  scope?: string;
}

interface DevTokenFlows {
  CLI_CLIENT_ID: string;
  CLI_REDIRECT_URI: string;
  getClientToken(opts: ClientTokenOptions): Promise<string>;
  getClientTokenResponse(opts: ClientTokenOptions): Promise<TokenResponse>;
  getUserToken(opts: UserTokenOptions): Promise<string>;
  getUserTokenResponse(opts: UserTokenOptions): Promise<TokenResponse>;
  discover(issuer: string): Promise<Record<string, unknown>>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const flows = require(join(ROOT, 'scripts', 'dev-token-flows.js')) as DevTokenFlows;

/** Client-credentials grant; resolves to the access token. */
export const getClientToken = (opts: ClientTokenOptions): Promise<string> =>
  flows.getClientToken(opts);
export const getClientTokenResponse = (opts: ClientTokenOptions): Promise<TokenResponse> =>
  flows.getClientTokenResponse(opts);
/** The real authorization code + PKCE login flow; resolves to the access token. */
export const getUserToken = (opts: UserTokenOptions): Promise<string> => flows.getUserToken(opts);
export const getUserTokenResponse = (opts: UserTokenOptions): Promise<TokenResponse> =>
  flows.getUserTokenResponse(opts);

/** Demo values of the development authority. */
export const DEV_AUTHORITY = Object.freeze({
  serviceClientId: 'mes-scheduler',
  serviceClientSecret: 'dev-scheduler-secret',
  swaggerClientId: 'mes-swagger-ui',
  cliClientId: flows.CLI_CLIENT_ID,
  audience: 'system',
  scope: 'system',
});

const READY = /aim-dev-authority ready: (http:\/\/127\.0\.0\.1:(\d+)\/identitymanager)/;

export async function startDevAuthority(opts: DevAuthorityOptions = {}): Promise<DevAuthority> {
  const tempDir = opts.keyFile ? undefined : mkdtempSync(join(tmpdir(), 'mes-dev-authority-'));
  const keyFile = opts.keyFile ?? join(tempDir as string, 'jwks.json');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AIM_DEV_PORT: String(opts.port ?? 0),
    AIM_DEV_KEY_FILE: keyFile,
    AIM_DEV_ROTATE_KEY: opts.rotateKey ? '1' : '0',
    AIM_DEV_REDIRECT_URIS: (opts.redirectUris ?? []).join(','),
    AIM_DEV_SCOPE_FORMAT: opts.scopeFormat ?? 'string',
    AIM_DEV_ACCESS_TOKEN_TTL_S: String(opts.accessTokenTtlS ?? 3600),
    AIM_DEV_EXIT_WITH_STDIN: '1',
  };
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });

  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8192);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const cleanup = (): void => {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      child.stdin.destroy();
      cleanup();
    })();
    return stopped;
  };

  try {
    const { issuer, port } = await waitUntilReady(child, () => output, exited);
    return { issuer, port, keyFile, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitUntilReady(
  child: ReturnType<typeof spawn>,
  output: () => string,
  exited: Promise<void>,
): Promise<{ issuer: string; port: number }> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const failure = (why: string): Error =>
    new Error(
      `The development authority did not start (${why}). Its output:\n${output() || '(none)'}`,
    );

  while (Date.now() < deadline) {
    if (hasExited) throw failure(`exited with code ${String(child.exitCode ?? child.signalCode)}`);
    const match = READY.exec(output());
    if (match) {
      const issuer = match[1];
      try {
        const res = await fetch(`${issuer}/.well-known/openid-configuration`, {
          signal: AbortSignal.timeout(2000),
        });
        if (res.ok) {
          const metadata = (await res.json()) as { issuer?: string };
          if (metadata.issuer === issuer) return { issuer, port: Number(match[2]) };
        }
      } catch {
        // not answering yet
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw failure(`no discovery answer within ${START_TIMEOUT_MS / 1000} s`);
}
