import { WebApiDefinition, WebApiDefinitionInput } from '../definitions/web-api-definition';
import { RouteParams } from '../http/route-template';

/** Where the client writes its messages (Nest's `Logger` fits). Never receives secrets. */
export interface MesWebApiClientLogger {
  log(message: string): void;
  warn(message: string): void;
  debug?(message: string): void;
}

export type FetchFn = typeof globalThis.fetch;

export interface MesWebApiClientOptions {
  /** Definitions given in code: validated instances, or raw items (label or camelCase keys). */
  definitions?: ReadonlyArray<WebApiDefinition | WebApiDefinitionInput | Record<string, unknown>>;
  /**
   * A JSON or YAML file holding an array of definition items; loaded when the Nest module
   * starts, or by `MesWebApiClient.create()`. Combined with `definitions`.
   */
  definitionsFile?: string;
  /** Where `env:VAR` references are resolved; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Per-attempt timeout for API, discovery and token requests. Default 30 000 ms. */
  timeoutMs?: number;
  /** Extra attempts for idempotent verbs (GET, PUT, DELETE, HEAD) on 5xx or network errors. Default 2. */
  retries?: number;
  /** First backoff delay; doubles on every retry. Default 200 ms. */
  retryBaseDelayMs?: number;
  /** Upper bound of one backoff delay. Default 5 000 ms. */
  retryMaxDelayMs?: number;
  /** A service token is renewed this long before it expires. Default 60 s. */
  tokenRefreshMarginS?: number;
  /** Lifetime assumed when the token response has no `expires_in` and the token no `exp`. Default 3 600 s. */
  defaultTokenLifetimeS?: number;
  /**
   * How the client authenticates at the token endpoint: credentials in the form body
   * (`client_secret_post`, the default, as AIM expects) or an HTTP Basic header.
   */
  tokenEndpointAuthMethod?: 'client_secret_post' | 'client_secret_basic';
  /** `false` for silence; default a Nest `Logger` named `MesWebApiClient`. */
  logger?: MesWebApiClientLogger | false;
  /** For tests: the fetch implementation (default: global fetch). */
  fetch?: FetchFn;
  /** For tests: the clock, in epoch milliseconds (default: Date.now). */
  now?: () => number;
  /** For tests: how to wait between retries (default: setTimeout). */
  sleep?: (ms: number) => Promise<void>;
}

export interface MesWebApiRequestOptions {
  /** Values for the route's `{placeholders}`; URL-encoded when substituted. */
  params?: RouteParams;
  /** Extra query parameters, appended URL-encoded. */
  query?: RouteParams;
  /** JSON request body. */
  body?: unknown;
  /** Extra request headers (e.g. `trans_id`, `tz_id`); `Authorization` is always the client's. */
  headers?: Readonly<Record<string, string>>;
  /** User access token mode: the logged-in user's bearer token (required there). */
  userToken?: string;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number;
  /**
   * POST/PUT/PATCH/DELETE: the `Idempotency-Key` sent with every attempt of this call, so the API
   * runs the write once however often the call is retried. Default: a new UUID per call; `false`
   * sends none (a POST is then never retried). An `Idempotency-Key` in `headers` wins.
   */
  idempotencyKey?: string | false;
}

export interface MesWebApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when not JSON; `undefined` when empty (e.g. 204). */
  body: T;
  url: string;
  /** How many attempts were made (1 = no retry). */
  attempts: number;
}

export type MesWebApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
