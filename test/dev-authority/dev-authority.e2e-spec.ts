// The development token authority over real HTTP: discovery, JWKS, client-credentials and the
// real authorization code + PKCE login, key persistence and rotation, and the token CLI.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  DEV_AUTHORITY,
  getClientToken,
  getUserToken,
  getUserTokenResponse,
  startDevAuthority,
  type DevAuthority,
} from '../support/dev-authority';

const ROOT = resolve(__dirname, '..', '..');
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

function sharedIssuer(): string {
  const issuer = process.env.E2E_AIM_ISSUER;
  if (!issuer)
    throw new Error('E2E_AIM_ISSUER is not set: run through the e2e project (global-setup.ts)');
  return issuer;
}

interface Discovery {
  issuer: string;
  token_endpoint: string;
  authorization_endpoint: string;
  jwks_uri: string;
  [member: string]: unknown;
}

async function discovery(issuer: string): Promise<Discovery> {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  expect(res.status).toBe(200);
  return (await res.json()) as Discovery;
}

/** A port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((done, failed) => {
    const server = createServer();
    server.once('error', failed);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

async function verify(issuer: string, token: string) {
  const meta = await discovery(issuer);
  const jwks = createRemoteJWKSet(new URL(meta.jwks_uri));
  return jwtVerify(token, jwks, {
    issuer,
    audience: 'system',
    algorithms: ['RS256'],
    typ: 'at+jwt',
  });
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'token.mjs'), ...args], {
      cwd: ROOT,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', failed);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('development token authority', () => {
  const issuer = sharedIssuer();

  describe('discovery and keys', () => {
    it('serves discovery under the issuer with AIM-style endpoints', async () => {
      const meta = await discovery(issuer);
      expect(meta.issuer).toBe(issuer);
      expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/identitymanager$/);
      expect(meta.token_endpoint).toBe(`${issuer}/connect/token`);
      expect(meta.authorization_endpoint).toBe(`${issuer}/connect/authorize`);
      expect(meta.jwks_uri).toBe(`${issuer}/.well-known/openid-configuration/jwks`);
      expect(meta.grant_types_supported).toEqual(
        expect.arrayContaining(['client_credentials', 'authorization_code']),
      );
      expect(meta.code_challenge_methods_supported).toEqual(['S256']);
      expect(meta.scopes_supported).toContain('system');
    });

    it('publishes public RS256 signing keys only', async () => {
      const meta = await discovery(issuer);
      const res = await fetch(meta.jwks_uri);
      expect(res.status).toBe(200);
      const { keys } = (await res.json()) as { keys: Record<string, string>[] };
      expect(keys.length).toBeGreaterThanOrEqual(1);
      for (const key of keys) {
        expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
        expect(typeof key.kid).toBe('string');
        for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
          expect(key).not.toHaveProperty(secret);
      }
    });

    it('answers 404 outside the issuer path', async () => {
      const res = await fetch(new URL('/.well-known/openid-configuration', issuer));
      expect(res.status).toBe(404);
    });
  });

  describe('client credentials', () => {
    it('issues an AIM-shaped JWT with no user in it', async () => {
      const token = await getClientToken({
        issuer,
        clientId: DEV_AUTHORITY.serviceClientId,
        clientSecret: DEV_AUTHORITY.serviceClientSecret,
      });
      expect(token).toMatch(JWT_SHAPE);
      const header = decodeProtectedHeader(token);
      expect(header).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
      expect(typeof header.kid).toBe('string');

      const { payload } = await verify(issuer, token);
      expect(payload).toMatchObject({
        iss: issuer,
        aud: 'system',
        client_id: 'mes-scheduler',
        scope: 'system',
      });
      expect(payload.exp! - payload.iat!).toBe(3600);
      expect(payload).not.toHaveProperty('sub');
      expect(payload).not.toHaveProperty('preferred_username');
    });

    it('accepts the AIM-style request: client_secret_post, no resource parameter', async () => {
      const meta = await discovery(issuer);
      const res = await fetch(meta.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=system&client_id=mes-scheduler&client_secret=dev-scheduler-secret',
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'system' });
      expect(decodeJwt(body.access_token as string)).toMatchObject({
        aud: 'system',
        scope: 'system',
      });
    });

    it('rejects a wrong secret without echoing it', async () => {
      const attempt = getClientToken({
        issuer,
        clientId: 'mes-scheduler',
        clientSecret: 'not-the-secret-42',
      });
      await expect(attempt).rejects.toThrow(/invalid_client/);
      await attempt.catch((err: Error) => expect(err.message).not.toContain('not-the-secret-42'));
    });

    it('rejects an unknown client', async () => {
      await expect(
        getClientToken({ issuer, clientId: 'nobody', clientSecret: 'x' }),
      ).rejects.toThrow(/invalid_client/);
    });
  });

  describe('user login (authorization code + PKCE)', () => {
    it('issues a user token that verifies against the JWKS', async () => {
      const response = await getUserTokenResponse({
        issuer,
        username: 'mes\\operator',
        password: 'operator',
      });
      expect(response.token_type).toBe('Bearer');
      const header = decodeProtectedHeader(response.access_token);
      expect(header).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });

      const { payload } = await verify(issuer, response.access_token);
      expect(payload).toMatchObject({
        iss: issuer,
        aud: 'system',
        scope: 'system',
        client_id: 'mes-cli',
        sub: 'mes\\operator',
        preferred_username: 'mes\\operator',
        name: 'operator',
      });
      expect(payload.role).toEqual(expect.arrayContaining([expect.stringMatching(/^S-1-5-21-/)]));
    });

    it('logs in through the Swagger UI client with an extra redirect URI (fresh authority)', async () => {
      const redirectUri = 'http://127.0.0.1:45678/mesmw/swagger/oauth2-redirect.html';
      const authority = await startDevAuthority({
        redirectUris: [redirectUri],
        scopeFormat: 'array',
      });
      try {
        const token = await getUserToken({
          issuer: authority.issuer,
          username: 'mes\\supervisor',
          clientId: DEV_AUTHORITY.swaggerClientId,
          redirectUri,
          scope: 'system',
        });
        const { payload } = await verify(authority.issuer, token);
        expect(payload).toMatchObject({
          preferred_username: 'mes\\supervisor',
          client_id: 'mes-swagger-ui',
          scope: ['system'],
        });

        const preflight = await fetch(`${authority.issuer}/connect/token`, {
          method: 'OPTIONS',
          headers: { origin: 'http://127.0.0.1:45678', 'access-control-request-method': 'POST' },
        });
        expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:45678');

        await expect(
          getUserToken({
            issuer: authority.issuer,
            username: 'mes\\supervisor',
            clientId: DEV_AUTHORITY.swaggerClientId,
            redirectUri: 'http://127.0.0.1:45679/elsewhere',
          }),
        ).rejects.toThrow(/invalid_redirect_uri/);
      } finally {
        await authority.stop();
      }
    });

    it('lets an MES-inactive user log in (the MES decides, not the authority)', async () => {
      const token = await getUserToken({ issuer, username: 'mes\\former' });
      expect(decodeJwt(token)).toMatchObject({ preferred_username: 'mes\\former' });
    });

    it('rejects a wrong password without echoing it', async () => {
      const attempt = getUserToken({
        issuer,
        username: 'mes\\operator',
        password: 'wrong-pw-1234',
      });
      await expect(attempt).rejects.toThrow(/invalid user name or password/);
      await attempt.catch((err: Error) => expect(err.message).not.toContain('wrong-pw-1234'));
    });

    it('rejects an unknown user and the background user', async () => {
      await expect(getUserToken({ issuer, username: 'mes\\nobody' })).rejects.toThrow(
        /invalid user name or password/,
      );
      await expect(
        getUserToken({ issuer, username: 'Default Background User', password: 'x' }),
      ).rejects.toThrow(/invalid user name or password/);
    });

    it('requires PKCE from the public clients', async () => {
      const meta = await discovery(issuer);
      const url = new URL(meta.authorization_endpoint);
      url.search = new URLSearchParams({
        client_id: 'mes-cli',
        response_type: 'code',
        redirect_uri: 'http://127.0.0.1/callback',
        scope: 'openid system',
        state: 'abc',
      }).toString();
      const res = await fetch(url, { redirect: 'manual' });
      const location = new URL(res.headers.get('location') ?? 'http://x/');
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
    });

    it('explains an unreachable authority', async () => {
      const port = await closedPort();
      const issuerUrl = `http://127.0.0.1:${port}/identitymanager`;
      const attempt = getUserToken({ issuer: issuerUrl, username: 'mes\\operator' });
      await expect(attempt).rejects.toThrow(
        `Cannot reach the development authority at ${issuerUrl}`,
      );
      await expect(attempt).rejects.toThrow(/ECONNREFUSED.*Start it with npm start/);
    });
  });

  describe('persistent keys', () => {
    let dir: string;
    let authority: DevAuthority | undefined;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'mes-dev-authority-keys-'));
    });

    afterEach(async () => {
      await authority?.stop();
      authority = undefined;
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps verifying tokens across a restart and a key rotation', async () => {
      const keyFile = join(dir, 'nested', 'jwks.json');
      authority = await startDevAuthority({ keyFile });
      const { port } = authority;
      const first = await getClientToken({
        issuer: authority.issuer,
        clientId: 'mes-scheduler',
        clientSecret: 'dev-scheduler-secret',
      });
      const firstKid = decodeProtectedHeader(first).kid;
      expect(statSync(keyFile).mode & 0o077).toBe(0);
      await authority.stop();

      // Same key file, same port: the old token verifies against the new process's JWKS.
      authority = await startDevAuthority({ keyFile, port });
      await expect(verify(authority.issuer, first)).resolves.toBeDefined();
      const second = await getUserToken({ issuer: authority.issuer, username: 'mes\\operator' });
      expect(decodeProtectedHeader(second).kid).toBe(firstKid);
      await authority.stop();

      // Rotation: a new key signs, the old one stays published.
      authority = await startDevAuthority({ keyFile, port, rotateKey: true });
      const third = await getClientToken({
        issuer: authority.issuer,
        clientId: 'mes-scheduler',
        clientSecret: 'dev-scheduler-secret',
      });
      const thirdKid = decodeProtectedHeader(third).kid;
      expect(thirdKid).not.toBe(firstKid);
      await expect(verify(authority.issuer, first)).resolves.toBeDefined();
      await expect(verify(authority.issuer, third)).resolves.toBeDefined();
      const stored = JSON.parse(readFileSync(keyFile, 'utf8')) as { keys: { kid: string }[] };
      expect(stored.keys.map((k) => k.kid)).toEqual([thirdKid, firstKid]);
    });

    it('reports a port in use with the child output', async () => {
      authority = await startDevAuthority({ keyFile: join(dir, 'a.json') });
      await expect(
        startDevAuthority({ keyFile: join(dir, 'b.json'), port: authority.port }),
      ).rejects.toThrow(/already in use/);
    });
  });

  describe('token CLI', () => {
    it('prints only a user token on stdout', async () => {
      const { code, stdout, stderr } = await runCli([
        '--user',
        'mes\\operator',
        '--issuer',
        issuer,
      ]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      expect(decodeJwt(stdout.trim())).toMatchObject({
        preferred_username: 'mes\\operator',
        aud: 'system',
      });
    });

    it('prints only a client-credentials token on stdout', async () => {
      const { code, stdout } = await runCli([
        '--client',
        'mes-scheduler',
        '--secret',
        'dev-scheduler-secret',
        '--scope',
        'system',
        '--issuer',
        issuer,
      ]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      expect(decodeJwt(stdout.trim())).toMatchObject({
        client_id: 'mes-scheduler',
        scope: 'system',
      });
    });

    it('fails with exit code 1, a message on stderr and nothing on stdout', async () => {
      const { code, stdout, stderr } = await runCli([
        '--client',
        'mes-scheduler',
        '--secret',
        'bad-secret-77',
        '--issuer',
        issuer,
      ]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/invalid_client/);
      expect(stderr).not.toContain('bad-secret-77');
    });

    it('prints help', async () => {
      const { code, stdout } = await runCli(['--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/--user <user_id>/);
    });
  });
});
