import { HttpException } from '@nestjs/common';
import { HTTP_STATUS_BY_CODE, MesErrorCode, TITLE_BY_CODE } from '../errors/error-codes';
import { MesError } from '../errors/mes-error';

/** The one error body shape of the API: RFC 9457 problem details plus a stable `code`. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: MesErrorCode;
  instance?: string;
  [extension: string]: unknown;
}

export interface ProblemResponse {
  status: number;
  body: ProblemDetails;
  headers: Record<string, string>;
  /** True when the error was unexpected: log it with its stack (never sent to the client). */
  unexpected: boolean;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
export const PROBLEM_TYPE_PREFIX = 'urn:mes-web-api:problem:';

const CODE_BY_HTTP_STATUS: Readonly<Record<number, MesErrorCode>> = {
  400: MesErrorCode.ValidationFailed,
  401: MesErrorCode.TokenInvalid,
  403: MesErrorCode.PrivilegeMissing,
  404: MesErrorCode.RouteNotFound,
  405: MesErrorCode.MethodNotAllowed,
  409: MesErrorCode.BusinessRule,
  413: MesErrorCode.PayloadTooLarge,
  415: MesErrorCode.UnsupportedMediaType,
  503: MesErrorCode.DatabaseUnavailable,
};

function problem(
  code: MesErrorCode,
  detail: string,
  extensions: Record<string, unknown> = {},
  status: number = HTTP_STATUS_BY_CODE[code],
): ProblemDetails {
  return Object.assign({}, extensions, {
    type: PROBLEM_TYPE_PREFIX + code.toLowerCase(),
    title: TITLE_BY_CODE[code],
    status,
    detail,
    code,
  });
}

/** Nest's ValidationPipe and friends put a string or a string list in `message`. */
function httpExceptionDetail(exception: HttpException): { detail: string; errors?: string[] } {
  const response = exception.getResponse();
  if (typeof response === 'string') return { detail: response };
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) {
    const errors = message.map(String);
    return { detail: errors.join('; '), errors };
  }
  if (typeof message === 'string') return { detail: message };
  return { detail: exception.message };
}

/** The driver's error code of a database error (TypeORM wraps it as `driverError`). */
function databaseErrorCode(exception: unknown): string | undefined {
  for (let e = exception, depth = 0; e && typeof e === 'object' && depth < 3; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
    e = (e as { driverError?: unknown }).driverError;
  }
  return undefined;
}

/** SQLite cannot take the write (locked by another writer past busy_timeout, or cannot write at all). */
function databaseProblem(
  code: string,
): { body: ProblemDetails; headers: Record<string, string> } | undefined {
  if (
    code === 'SQLITE_BUSY' ||
    code.startsWith('SQLITE_BUSY_') ||
    code.startsWith('SQLITE_LOCKED')
  ) {
    return {
      body: problem(
        MesErrorCode.DatabaseUnavailable,
        'The database is busy; try the request again.',
      ),
      headers: { 'Retry-After': '1' },
    };
  }
  if (/^SQLITE_(READONLY|FULL|IOERR|CANTOPEN|PERM)/.test(code)) {
    return {
      body: problem(
        MesErrorCode.DatabaseReadOnly,
        'The database cannot be written at the moment (read-only, full or failing storage); nothing was changed. Reads may still work. Try again later.',
      ),
      headers: { 'Retry-After': '5' },
    };
  }
  return undefined;
}

/** Turns anything thrown into the API's problem response. Pure: no logging, no I/O. */
export function toProblem(exception: unknown, instance?: string): ProblemResponse {
  let body: ProblemDetails;
  let headers: Record<string, string> = {};
  let unexpected = false;

  if (exception instanceof MesError) {
    body = problem(exception.code, exception.detail, { ...exception.extensions });
    headers = { ...exception.headers };
  } else if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const { detail, errors } = httpExceptionDetail(exception);
    // Body parsing errors from the HTTP layer (fastify) arrive as plain 400s.
    const code =
      status === 400 && /\b(JSON|body)\b/i.test(detail) && !errors
        ? MesErrorCode.MalformedBody
        : (CODE_BY_HTTP_STATUS[status] ?? MesErrorCode.Internal);
    const safeDetail =
      status === 404 && /^Cannot [A-Z]+ /.test(detail) ? 'Unknown endpoint.' : detail;
    body = problem(code, safeDetail, errors ? { errors } : {}, status);
    unexpected = status >= 500;
  } else {
    const dbCode = databaseErrorCode(exception);
    const db = dbCode === undefined ? undefined : databaseProblem(dbCode);
    body = db?.body ?? problem(MesErrorCode.Internal, 'An internal error occurred.');
    headers = db?.headers ?? {};
    unexpected = true;
  }
  if (instance) body.instance = instance;
  return { status: body.status, body, headers, unexpected };
}
