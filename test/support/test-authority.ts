import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  JWK,
  JWTHeaderParameters,
  KeyLike,
  SignJWT,
} from 'jose';

/**
 * An in-process, AIM-shaped token authority for tests (node:http on 127.0.0.1): discovery at
 * `<issuer>/.well-known/openid-configuration`, keys at `<issuer>/.well-known/openid-configuration/jwks`
 * (IdentityServer layout), tokens signed with real RSA keys. It can be stopped and started on
 * the SAME port (an outage), rotate keys, and it logs every request it receives.
 */

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: KeyLike;
  publicKey: KeyLike;
  publicJwk: JWK;
}

export interface SignOptions {
  /** Signature algorithm; default RS256. `none` produces an unsigned token. */
  alg?: string;
  /** `kid` header; default the current key's kid. `null` omits it. */
  kid?: string | null;
  /** Extra protected-header members (e.g. `jku`, `jwk`, `x5u`). */
  header?: Record<string, unknown>;
  /** Key to sign with; default the current key. A Uint8Array signs HMAC (HS*). */
  key?: KeyLike | Uint8Array;
}

/** Claims to set; a member set to `undefined` removes that default claim. */
export type Claims = Record<string, unknown>;

export interface RequestLogEntry {
  method: string;
  path: string;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function createSigningKey(alg = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID().replace(/-/g, '').toUpperCase();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, publicJwk };
}

export class TestAuthority {
  /** Every request received, in order. */
  readonly requests: RequestLogEntry[] = [];
  private server?: Server;
  private port = 0;
  private keys: SigningKey[] = [];
  private current!: SigningKey;

  private constructor(private readonly basePath: string) {}

  /** Starts an authority on a free port; `basePath` defaults to `/identitymanager`. */
  static async start(basePath = '/identitymanager'): Promise<TestAuthority> {
    const authority = new TestAuthority(basePath);
    authority.current = await createSigningKey();
    authority.keys = [authority.current];
    await authority.start();
    return authority;
  }

  get issuer(): string {
    return `http://127.0.0.1:${this.port}${this.basePath}`;
  }

  get discoveryUrl(): string {
    return `${this.issuer}/.well-known/openid-configuration`;
  }

  get jwksUrl(): string {
    return `${this.issuer}/.well-known/openid-configuration/jwks`;
  }

  /** The key new tokens are signed with. */
  get signingKey(): SigningKey {
    return this.current;
  }

  /** Requests whose path ends with `suffix` (all requests when omitted). */
  count(suffix = ''): number {
    return this.requests.filter((r) => r.path.endsWith(suffix)).length;
  }

  resetLog(): void {
    this.requests.length = 0;
  }

  /** Listens again (on the same port as before, once one was assigned). */
  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops open connections (an outage); `start()` resumes on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A new signing key; the previous one stays published unless `dropOld`. */
  async rotateKey(options: { dropOld?: boolean } = {}): Promise<SigningKey> {
    const next = await createSigningKey();
    this.keys = options.dropOld ? [next] : [...this.keys, next];
    this.current = next;
    return next;
  }

  /** Signs exactly these claims (no defaults). */
  async sign(claims: Claims, options: SignOptions = {}): Promise<string> {
    const alg = options.alg ?? 'RS256';
    const header: Record<string, unknown> = { alg, typ: 'at+jwt', ...options.header };
    const kid = options.kid === undefined ? this.current.kid : options.kid;
    if (kid !== null) header.kid = kid;
    const payload = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
    if (alg === 'none') return `${b64url(header)}.${b64url(payload)}.`;
    return new SignJWT(payload)
      .setProtectedHeader(header as JWTHeaderParameters)
      .sign(options.key ?? this.current.privateKey);
  }

  /** The claims every AIM access token carries; `overrides` win, `undefined` removes a claim. */
  baseClaims(overrides: Claims = {}): Claims {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: this.issuer,
      aud: 'system',
      scope: ['system'],
      iat: now,
      nbf: now,
      exp: now + 3600,
      jti: randomUUID(),
      ...overrides,
    };
  }

  /** A user access token as AIM issues it (sub and preferred_username = `domain\user`). */
  userToken(userId: string, overrides: Claims = {}, options: SignOptions = {}): Promise<string> {
    const slash = userId.lastIndexOf('\\');
    return this.sign(
      this.baseClaims({
        client_id: 'mes-swagger-ui',
        sub: userId,
        preferred_username: userId,
        name: slash === -1 ? userId : userId.slice(slash + 1),
        role: ['S-1-5-21-1004336348-1177238915-682003330-513'],
        amr: ['pwd'],
        idp: 'local',
        auth_time: Math.floor(Date.now() / 1000),
        ...overrides,
      }),
      options,
    );
  }

  /** A client-credentials token: `client_id` and `scope`, no user (AIM style: no `sub`). */
  serviceToken(
    clientId: string,
    overrides: Claims = {},
    options: SignOptions = {},
  ): Promise<string> {
    return this.sign(this.baseClaims({ client_id: clientId, ...overrides }), options);
  }

  /** PEM of the current public key (for the "HS256 with the public key as secret" attack). */
  publicKeyPem(): Promise<string> {
    return exportSPKI(this.current.publicKey);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    this.requests.push({ method: req.method ?? 'GET', path });
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { error: 'method_not_allowed' });
    if (path === `${this.basePath}/.well-known/openid-configuration`) {
      return send(200, {
        issuer: this.issuer,
        jwks_uri: this.jwksUrl,
        authorization_endpoint: `${this.issuer}/connect/authorize`,
        token_endpoint: `${this.issuer}/connect/token`,
        scopes_supported: ['openid', 'profile', 'system'],
        grant_types_supported: ['authorization_code', 'client_credentials'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (path === `${this.basePath}/.well-known/openid-configuration/jwks`) {
      return send(200, { keys: this.keys.map((k) => k.publicJwk) });
    }
    send(404, { error: 'not_found' });
  }
}
