import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type ApiHandler = (
  request: RecordedRequest,
  index: number,
) => { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number };

export interface TokenBehaviour {
  /** `expires_in` of issued tokens; `null` to leave it out. */
  expiresIn?: number | null;
  /** Delay before answering token requests (makes concurrency visible). */
  delayMs?: number;
  /** Answer token requests with this status and OAuth2 error. */
  fail?: { status: number; error: string; description?: string };
  /** Discovery answers 404 (no discovery document). */
  noDiscovery?: boolean;
  /** Issue JWT-shaped tokens with this `exp` (epoch seconds). */
  jwtExp?: number;
}

export const CLIENT_ID = 'mes-scheduler';
export const CLIENT_SECRET = 'S3cr3t-never-logged';

/**
 * A fake AIM authority (discovery + token endpoint under /identitymanager) and a fake MES Web
 * API (under /mesmw/) on one 127.0.0.1:0 server. Records every request.
 */
export class FakeMes {
  readonly apiRequests: RecordedRequest[] = [];
  readonly tokenRequests: RecordedRequest[] = [];
  discoveryRequests = 0;
  token: TokenBehaviour = { expiresIn: 3600 };
  apiHandler: ApiHandler = () => ({ status: 200, body: { ok: true } });
  private issued = 0;
  private server?: Server;
  baseUrl = '';

  get issuer(): string {
    return `${this.baseUrl}/identitymanager`;
  }

  get tokenEndpoint(): string {
    return `${this.issuer}/connect/token`;
  }

  get baseAddress(): string {
    return `${this.baseUrl}/mesmw/`;
  }

  /** Tokens issued so far are `token-1`, `token-2`, … (or JWT-shaped with jwtExp). */
  get issuedTokens(): number {
    return this.issued;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    const path = request.url.split('?')[0];
    if (path === '/identitymanager/.well-known/openid-configuration') {
      this.discoveryRequests += 1;
      if (this.token.noDiscovery) return send(res, 404, { error: 'not found' });
      return send(res, 200, {
        issuer: this.issuer,
        token_endpoint: this.tokenEndpoint,
        jwks_uri: `${this.issuer}/.well-known/jwks`,
        grant_types_supported: ['client_credentials', 'authorization_code'],
      });
    }
    if (path === '/identitymanager/connect/token' && request.method === 'POST') {
      this.tokenRequests.push(request);
      if (this.token.delayMs) await sleep(this.token.delayMs);
      if (this.token.fail) {
        const { status, error, description } = this.token.fail;
        return send(res, status, { error, error_description: description });
      }
      const form = new URLSearchParams(request.body);
      if (form.get('client_id') !== CLIENT_ID || form.get('client_secret') !== CLIENT_SECRET) {
        return send(res, 401, { error: 'invalid_client' });
      }
      this.issued += 1;
      const accessToken =
        this.token.jwtExp === undefined
          ? `token-${this.issued}`
          : [
              Buffer.from('{"alg":"none"}').toString('base64url'),
              Buffer.from(JSON.stringify({ exp: this.token.jwtExp, n: this.issued })).toString(
                'base64url',
              ),
              'sig',
            ].join('.');
      const body: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer' };
      if (this.token.expiresIn !== null) body.expires_in = this.token.expiresIn ?? 3600;
      return send(res, 200, body);
    }
    if (path.startsWith('/mesmw/')) {
      const index = this.apiRequests.length;
      this.apiRequests.push(request);
      const answer = this.apiHandler(request, index);
      if (answer.delayMs) await sleep(answer.delayMs);
      if (res.destroyed) return;
      return send(res, answer.status, answer.body, answer.headers);
    }
    return send(res, 404, { error: 'no such route' });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain' : 'application/json';
  res.writeHead(status, { 'content-type': type, ...headers }).end(text);
}

/** Captures everything a logger receives. */
export class CapturingLogger {
  readonly lines: string[] = [];
  log(message: string): void {
    this.lines.push(`log ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  debug(message: string): void {
    this.lines.push(`debug ${message}`);
  }
  get text(): string {
    return this.lines.join('\n');
  }
}
