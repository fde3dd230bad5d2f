import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { loadWebApiDefinitionsSync, toWebApiDefinitions } from './definitions/definitions-loader';
import { WebApiDefinition } from './definitions/web-api-definition';
import {
  MesWebApiAuthError,
  MesWebApiError,
  MesWebApiNetworkError,
  MesWebApiUsageError,
} from './errors/web-api-client.errors';
import {
  describeFetchFailure,
  isTimeout,
  messageOf,
  webApiErrorMessageOf,
} from './http/http-utils';
import { appendQuery, buildRequestUrl, expandRoute } from './http/route-template';
import {
  FetchFn,
  MesWebApiClientLogger,
  MesWebApiClientOptions,
  MesWebApiMethod,
  MesWebApiRequestOptions,
  MesWebApiResponse,
} from './interfaces/mes-web-api-client-options.interface';
import { ClientCredentialsTokenSource } from './token/client-credentials-token.source';

const IDEMPOTENT: ReadonlySet<string> = new Set(['GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS']);
/** Verbs that get an Idempotency-Key (the API runs a keyed write once). */
const WRITES: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Settings {
  fetch: FetchFn;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  timeoutMs: number;
  retries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  logger?: MesWebApiClientLogger;
}

type Attempt =
  { kind: 'response'; response: Response; text: string } | { kind: 'failure'; error: unknown };

/**
 * Calls MES Web APIs described by Web API definitions. Usable as a plain class
 * (`new MesWebApiClient({ definitionsFile })`) or injected through `MesWebApiClientModule`.
 *
 * - Service to service: a client-credentials token from the definition's authority, cached
 *   until shortly before expiry, one token request for all concurrent callers, and one retry
 *   with a fresh token when the API answers 401.
 * - User access token: forwards `userToken`; refuses to call without one.
 * - Idempotent verbs (GET, PUT, DELETE, HEAD) are retried with exponential backoff on 5xx and
 *   network errors; POST and PATCH never are.
 * - Error statuses throw `MesWebApiError` (`statusCode`, `webApiErrorMessage`).
 */
export class MesWebApiClient {
  private readonly byName = new Map<string, WebApiDefinition>();
  private readonly tokenSources = new Map<WebApiDefinition, ClientCredentialsTokenSource>();
  private readonly settings: Settings;

  constructor(private readonly options: MesWebApiClientOptions = {}) {
    const env = options.env ?? process.env;
    const definitions = [
      ...(options.definitionsFile
        ? loadWebApiDefinitionsSync(options.definitionsFile, { env })
        : []),
      ...toWebApiDefinitions(options.definitions ?? [], { env }),
    ];
    for (const definition of definitions) {
      const key = definition.name.toLowerCase();
      if (this.byName.has(key)) {
        throw new MesWebApiUsageError(
          `Web API definition "${definition.name}" is defined more than once`,
          definition.name,
        );
      }
      this.byName.set(key, definition);
    }
    this.settings = {
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      now: options.now ?? Date.now,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      timeoutMs: positive(options.timeoutMs, 30_000),
      retries: Math.max(0, Math.floor(options.retries ?? 2)),
      retryBaseDelayMs: Math.max(0, options.retryBaseDelayMs ?? 200),
      retryMaxDelayMs: Math.max(0, options.retryMaxDelayMs ?? 5_000),
      logger:
        options.logger === false ? undefined : (options.logger ?? new Logger(MesWebApiClient.name)),
    };
  }

  /** The names of the known definitions. */
  get definitionNames(): string[] {
    return [...this.byName.values()].map((definition) => definition.name);
  }

  /** A definition by name (case-insensitive); throws `MesWebApiUsageError` when unknown. */
  definition(name: string): WebApiDefinition {
    const definition = this.byName.get(name.toLowerCase());
    if (!definition) {
      const known = this.definitionNames.map((n) => `"${n}"`).join(', ') || 'none';
      throw new MesWebApiUsageError(`Unknown Web API definition "${name}" (known: ${known})`, name);
    }
    return definition;
  }

  get<T = unknown>(
    definition: string,
    route: string,
    options?: MesWebApiRequestOptions,
  ): Promise<T> {
    return this.body<T>('GET', definition, route, options);
  }

  post<T = unknown>(
    definition: string,
    route: string,
    options?: MesWebApiRequestOptions,
  ): Promise<T> {
    return this.body<T>('POST', definition, route, options);
  }

  put<T = unknown>(
    definition: string,
    route: string,
    options?: MesWebApiRequestOptions,
  ): Promise<T> {
    return this.body<T>('PUT', definition, route, options);
  }

  patch<T = unknown>(
    definition: string,
    route: string,
    options?: MesWebApiRequestOptions,
  ): Promise<T> {
    return this.body<T>('PATCH', definition, route, options);
  }

  delete<T = unknown>(
    definition: string,
    route: string,
    options?: MesWebApiRequestOptions,
  ): Promise<T> {
    return this.body<T>('DELETE', definition, route, options);
  }

  /** A full call: status, headers, parsed body. Throws on any non-2xx status. */
  async request<T = unknown>(
    method: MesWebApiMethod,
    definitionName: string,
    route: string,
    options: MesWebApiRequestOptions = {},
  ): Promise<MesWebApiResponse<T>> {
    const definition = this.definition(definitionName);
    const verb = method.toUpperCase();
    const url = buildRequestUrl(
      definition,
      appendQuery(expandRoute(route, options.params, definition.name), options.query),
    ).toString();
    const tokenSource = this.tokenSourceFor(definition);
    let token = tokenSource ? await tokenSource.getToken() : this.userTokenOf(definition, options);
    const timeoutMs = positive(options.timeoutMs, this.settings.timeoutMs);
    const { retries, logger } = this.settings;
    // One key for every attempt of this call: a retried write is run once by the API.
    const keyed = WRITES.has(verb) ? idempotencyKeyOf(options) : undefined;
    if (keyed !== undefined) options = { ...options, headers: keyed.headers };

    let attempts = 0;
    let transientRetries = 0;
    let renewedToken = false;
    for (;;) {
      attempts += 1;
      const started = this.settings.now();
      const attempt = await this.attempt(verb, url, token, options, timeoutMs);
      const elapsed = this.settings.now() - started;
      const retryable =
        (IDEMPOTENT.has(verb) || keyed !== undefined) &&
        transientRetries < retries &&
        (attempt.kind === 'failure' || attempt.response.status >= 500);
      if (retryable) {
        transientRetries += 1;
        const delay = this.backoff(transientRetries);
        const outcome =
          attempt.kind === 'failure'
            ? describeFetchFailure(attempt.error, timeoutMs)
            : `HTTP ${attempt.response.status}`;
        logger?.warn(
          `${verb} ${url} → ${outcome} after ${elapsed} ms; retry ${transientRetries} of ${retries} in ${delay} ms`,
        );
        await this.settings.sleep(delay);
        continue;
      }
      if (attempt.kind === 'failure') {
        const timedOut = isTimeout(attempt.error);
        throw new MesWebApiNetworkError(
          `${verb} ${url} failed: ${describeFetchFailure(attempt.error, timeoutMs)}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`,
          verb,
          url,
          definition.name,
          timedOut,
          { cause: new Error(messageOf(attempt.error)) },
        );
      }
      const { response, text } = attempt;
      if (response.status === 401 && tokenSource && !renewedToken) {
        renewedToken = true;
        logger?.warn(`${verb} ${url} → HTTP 401; retrying once with a fresh service token`);
        tokenSource.invalidate(token);
        token = await tokenSource.getToken();
        continue;
      }
      logger?.debug?.(
        `${verb} ${url} → HTTP ${response.status} in ${elapsed} ms (attempt ${attempts})`,
      );
      const body = parseBody(verb, response, text);
      if (response.status < 200 || response.status >= 300) {
        const code =
          body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string'
            ? (body as { code: string }).code
            : undefined;
        throw new MesWebApiError(
          response.status,
          webApiErrorMessageOf(body, text, response.statusText),
          verb,
          url,
          definition.name,
          body,
          code,
        );
      }
      return { status: response.status, headers: response.headers, body: body as T, url, attempts };
    }
  }

  private async body<T>(
    method: MesWebApiMethod,
    definition: string,
    route: string,
    options?: MesWebApiRequestOptions,
  ): Promise<T> {
    return (await this.request<T>(method, definition, route, options)).body;
  }

  private async attempt(
    method: string,
    url: string,
    token: string,
    options: MesWebApiRequestOptions,
    timeoutMs: number,
  ): Promise<Attempt> {
    const headers = new Headers(options.headers);
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    headers.set('authorization', `Bearer ${token}`);
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers.set('content-type', 'application/json');
    }
    try {
      const response = await this.settings.fetch(url, {
        method,
        headers,
        body: payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { kind: 'response', response, text: await response.text() };
    } catch (error) {
      return { kind: 'failure', error };
    }
  }

  private backoff(retry: number): number {
    return Math.min(
      this.settings.retryMaxDelayMs,
      this.settings.retryBaseDelayMs * 2 ** (retry - 1),
    );
  }

  private userTokenOf(definition: WebApiDefinition, options: MesWebApiRequestOptions): string {
    const token = options.userToken?.replace(/^bearer\s+/i, '').trim();
    if (!token) {
      throw new MesWebApiAuthError(
        `Web API definition "${definition.name}" uses "User Access Token": pass the logged-in user's access token as userToken`,
        definition.name,
      );
    }
    return token;
  }

  private tokenSourceFor(definition: WebApiDefinition): ClientCredentialsTokenSource | undefined {
    if (!definition.isServiceToService) return undefined;
    let source = this.tokenSources.get(definition);
    if (!source) {
      source = new ClientCredentialsTokenSource(definition, {
        fetch: this.settings.fetch,
        now: this.settings.now,
        timeoutMs: this.settings.timeoutMs,
        refreshMarginS: Math.max(0, this.options.tokenRefreshMarginS ?? 60),
        defaultLifetimeS: positive(this.options.defaultTokenLifetimeS, 3_600),
        authMethod: this.options.tokenEndpointAuthMethod ?? 'client_secret_post',
        logger: this.settings.logger,
      });
      this.tokenSources.set(definition, source);
    }
    return source;
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

function parseBody(method: string, response: Response, text: string): unknown {
  if (method === 'HEAD' || text === '') return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (/json/i.test(type) || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** The call's Idempotency-Key headers: the caller's own key, a given one, or a new UUID. */
function idempotencyKeyOf(
  options: MesWebApiRequestOptions,
): { headers: Record<string, string> } | undefined {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (Object.keys(headers).some((name) => name.toLowerCase() === 'idempotency-key')) {
    return { headers };
  }
  if (options.idempotencyKey === false) return undefined;
  headers['Idempotency-Key'] = options.idempotencyKey ?? randomUUID();
  return { headers };
}
