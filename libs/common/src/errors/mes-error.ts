import {
  ENTITY_ACCESS_DENIED_MESSAGE,
  ENTITY_NOT_FOUND_MESSAGE,
  MesErrorCode,
} from './error-codes';

export interface MesErrorOptions {
  /** Extra response headers, e.g. `WWW-Authenticate` for 401 or `Allow` for 405. */
  headers?: Record<string, string>;
  /** Extra, safe members of the problem body (never secrets, SQL or stack traces). */
  extensions?: Record<string, unknown>;
  /** The underlying error, kept for logs only; never sent to the client. */
  cause?: unknown;
}

/**
 * A domain error with a code. Libraries throw it; one exception filter turns it into an
 * HTTP problem response. `detail` is shown to the client, so it must never hold secrets.
 */
export class MesError extends Error {
  readonly headers: Readonly<Record<string, string>>;
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    readonly code: MesErrorCode,
    readonly detail: string,
    options: MesErrorOptions = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MesError';
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }

  static entityNotFound(extensions?: Record<string, unknown>): MesError {
    return new MesError(MesErrorCode.EntityNotFound, ENTITY_NOT_FOUND_MESSAGE, { extensions });
  }

  static entityAccessDenied(extensions?: Record<string, unknown>): MesError {
    return new MesError(MesErrorCode.EntityAccessDenied, ENTITY_ACCESS_DENIED_MESSAGE, {
      extensions,
    });
  }

  static validation(detail: string, errors?: string[]): MesError {
    return new MesError(MesErrorCode.ValidationFailed, detail, {
      extensions: errors ? { errors } : undefined,
    });
  }

  static businessRule(detail: string, extensions?: Record<string, unknown>): MesError {
    return new MesError(MesErrorCode.BusinessRule, detail, { extensions });
  }
}
