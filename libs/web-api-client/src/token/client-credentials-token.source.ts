import { MesWebApiAuthError } from '../errors/web-api-client.errors';
import { clientSecretOf, WebApiDefinition } from '../definitions/web-api-definition';
import { FetchFn, MesWebApiClientLogger } from '../interfaces/mes-web-api-client-options.interface';
import { describeFetchFailure, messageOf, readBodyText } from '../http/http-utils';

export interface TokenSourceSettings {
  fetch: FetchFn;
  now: () => number;
  timeoutMs: number;
  refreshMarginS: number;
  defaultLifetimeS: number;
  authMethod: 'client_secret_post' | 'client_secret_basic';
  logger?: MesWebApiClientLogger;
}

interface CachedToken {
  token: string;
  refreshAt: number;
}

/**
 * Client-credentials tokens for one service-to-service definition: the token endpoint comes
 * from discovery, a token is reused until shortly before it expires, and concurrent callers
 * share one token request (single flight).
 */
export class ClientCredentialsTokenSource {
  private cached?: CachedToken;
  private pending?: Promise<string>;
  private endpoint?: Promise<string>;

  constructor(
    private readonly definition: WebApiDefinition,
    private readonly settings: TokenSourceSettings,
  ) {}

  /** A valid token: cached, or fetched once for all concurrent callers. */
  getToken(): Promise<string> {
    if (this.cached && this.settings.now() < this.cached.refreshAt) {
      return Promise.resolve(this.cached.token);
    }
    this.pending ??= this.requestToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Drops `token` if it is still the cached one (the API refused it). */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async requestToken(): Promise<string> {
    const endpoint = await this.tokenEndpoint();
    const { clientId, scope, audience } = this.definition;
    const secret = clientSecretOf(this.definition) ?? '';
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (this.settings.authMethod === 'client_secret_basic') {
      const pair = `${encodeURIComponent(clientId ?? '')}:${encodeURIComponent(secret)}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    } else {
      form.set('client_id', clientId ?? '');
      form.set('client_secret', secret);
    }
    form.set('scope', scope);
    if (audience) form.set('audience', audience);

    let response: Response;
    try {
      response = await this.settings.fetch(endpoint, {
        method: 'POST',
        headers,
        body: form.toString(),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      throw this.fail(
        `the token endpoint ${endpoint} could not be reached (${describeFetchFailure(error, this.settings.timeoutMs)})`,
        {},
        error,
      );
    }
    const text = await readBodyText(response);
    let json: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') json = parsed as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const oauthError = typeof json?.error === 'string' ? json.error : undefined;
      const description =
        typeof json?.error_description === 'string' ? `: ${json.error_description}` : '';
      const reason = oauthError ? ` (${oauthError}${description})` : '';
      throw this.fail(`the token endpoint ${endpoint} answered HTTP ${response.status}${reason}`, {
        statusCode: response.status,
        oauthError,
      });
    }
    const token = json?.access_token;
    if (typeof token !== 'string' || token === '') {
      throw this.fail(`the token endpoint ${endpoint} answered without an access_token`, {
        statusCode: response.status,
      });
    }
    const now = this.settings.now();
    const lifetimeS = this.lifetimeOf(json?.expires_in, token, now);
    const marginS = Math.min(this.settings.refreshMarginS, lifetimeS / 2);
    this.cached = { token, refreshAt: now + (lifetimeS - marginS) * 1000 };
    this.settings.logger?.log(
      `Service token for Web API definition "${this.definition.name}" obtained from ${endpoint} (client ${clientId}, scope ${scope}); valid for ${Math.round(lifetimeS)} s`,
    );
    return token;
  }

  private lifetimeOf(expiresIn: unknown, token: string, now: number): number {
    const fromResponse = typeof expiresIn === 'string' ? Number(expiresIn) : expiresIn;
    if (typeof fromResponse === 'number' && Number.isFinite(fromResponse) && fromResponse > 0) {
      return fromResponse;
    }
    const exp = jwtExpiry(token);
    if (exp !== undefined && exp * 1000 > now) return (exp * 1000 - now) / 1000;
    return this.settings.defaultLifetimeS;
  }

  /** Discovery at the issuer; an Authority given as `…/connect/token` is the fallback. */
  private tokenEndpoint(): Promise<string> {
    this.endpoint ??= this.discover().catch((error: unknown) => {
      this.endpoint = undefined;
      throw error;
    });
    return this.endpoint;
  }

  private async discover(): Promise<string> {
    const issuer = this.definition.issuer ?? '';
    const fallback = this.definition.authorityIsTokenEndpoint
      ? this.definition.authority
      : undefined;
    const discoveryUrl = `${issuer}/.well-known/openid-configuration`;
    let response: Response;
    try {
      response = await this.settings.fetch(discoveryUrl, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      throw this.fail(
        `the authority could not be reached at ${discoveryUrl} (${describeFetchFailure(error, this.settings.timeoutMs)})`,
        {},
        error,
      );
    }
    const text = await readBodyText(response);
    let endpoint: unknown;
    if (response.ok) {
      try {
        endpoint = (JSON.parse(text) as Record<string, unknown>)?.token_endpoint;
      } catch {
        endpoint = undefined;
      }
    }
    if (typeof endpoint === 'string' && /^https?:\/\//i.test(endpoint)) return endpoint;
    if (fallback) return fallback;
    throw this.fail(
      response.ok
        ? `the discovery document ${discoveryUrl} has no token_endpoint`
        : `the discovery document ${discoveryUrl} answered HTTP ${response.status}`,
      { statusCode: response.status },
    );
  }

  private fail(
    reason: string,
    details: { statusCode?: number; oauthError?: string },
    cause?: unknown,
  ): MesWebApiAuthError {
    const authority = this.definition.authority ?? '';
    const secret = clientSecretOf(this.definition);
    let message = `Could not get a service token for Web API definition "${this.definition.name}" from authority ${authority}: ${reason}`;
    if (secret) message = message.split(secret).join('***');
    return new MesWebApiAuthError(
      message,
      this.definition.name,
      { authority, ...details },
      { cause: cause === undefined ? undefined : new Error(messageOf(cause)) },
    );
  }
}

/** The `exp` claim of a JWT, read without verification (only to schedule renewal). */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp : undefined;
  } catch {
    return undefined;
  }
}
