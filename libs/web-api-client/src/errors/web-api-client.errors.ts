/**
 * Errors raised by the MES Web API client. Every message is safe to log: none ever holds a
 * client secret or an access token.
 */
export type MesWebApiClientErrorKind =
  /** A Web API definition (or the definitions file) is invalid. */
  | 'definition'
  /** The call itself is wrong: unknown definition, missing placeholder value, bad route. */
  | 'usage'
  /** No token: the service token could not be obtained, or user mode got no user token. */
  | 'auth'
  /** The MES Web API answered with an error status. */
  | 'http'
  /** The MES Web API could not be reached, or did not answer in time. */
  | 'network';

export abstract class MesWebApiClientError extends Error {
  abstract readonly kind: MesWebApiClientErrorKind;

  protected constructor(
    message: string,
    /** The Web API definition involved, when there is one. */
    readonly definitionName?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** A definition or definitions file failed validation; `problems` lists every finding. */
export class WebApiDefinitionError extends MesWebApiClientError {
  readonly kind = 'definition' as const;

  constructor(
    message: string,
    readonly problems: readonly string[],
    definitionName?: string,
    options?: { cause?: unknown },
  ) {
    super(message, definitionName, options);
  }
}

/** The call cannot be made as asked (unknown definition, missing placeholder, bad route). */
export class MesWebApiUsageError extends MesWebApiClientError {
  readonly kind = 'usage' as const;

  constructor(message: string, definitionName?: string) {
    super(message, definitionName);
  }
}

/** No access token: the authority failed or was unreachable, or user mode got no token. */
export class MesWebApiAuthError extends MesWebApiClientError {
  readonly kind = 'auth' as const;

  constructor(
    message: string,
    definitionName: string,
    readonly details: {
      /** The authority as configured in the definition (never holds credentials). */
      authority?: string;
      /** HTTP status of the token/discovery endpoint, when it answered. */
      statusCode?: number;
      /** OAuth2 `error` code from the token endpoint, e.g. `invalid_client`. */
      oauthError?: string;
    } = {},
    options?: { cause?: unknown },
  ) {
    super(message, definitionName, options);
  }
}

/**
 * The MES Web API answered with an error status. Mirrors a workflow console's StatusCode and
 * WebAPIErrorMessage: `webApiErrorMessage` is the `detail` of an RFC 9457 problem body, or the
 * body text.
 */
export class MesWebApiError extends MesWebApiClientError {
  readonly kind = 'http' as const;

  constructor(
    readonly statusCode: number,
    readonly webApiErrorMessage: string,
    readonly method: string,
    readonly url: string,
    definitionName: string,
    /** The parsed response body (problem details or text). */
    readonly body: unknown,
    /** The problem `code` (e.g. `ENTITY_NOT_FOUND`) when the body carries one. */
    readonly code?: string,
  ) {
    super(`${method} ${url} failed with HTTP ${statusCode}: ${webApiErrorMessage}`, definitionName);
  }
}

/** The MES Web API could not be reached or timed out (after the allowed retries). */
export class MesWebApiNetworkError extends MesWebApiClientError {
  readonly kind = 'network' as const;

  constructor(
    message: string,
    readonly method: string,
    readonly url: string,
    definitionName: string,
    readonly timedOut: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, definitionName, options);
  }
}
