import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { extractBearerToken } from '@mes-web-api/aim-auth';
import {
  MesErrorCode,
  MesPrincipal,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPE_PREFIX,
  requestPath,
} from '@mes-web-api/common';
import type { AccessLogWriter } from '../logging/access-log';
import { AuthOutcome, MesMetrics, UNMATCHED_ROUTE } from '../metrics/mes-metrics';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { REQUEST_ID_HEADER } from './request-id';
import { HeaderList } from './security-headers';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the aim-auth guard once the token is accepted. */
    mesUser?: MesPrincipal;
    /** The problem `code` of the answer, when it is an error (set by OpsExceptionFilter). */
    opsProblemCode: string | null;
  }
}

/** The 429 problem's code; not a MesErrorCode because only this hook answers it. */
export const AUTH_FAILURE_LIMIT_CODE = 'TOO_MANY_AUTH_FAILURES';

/** Problem codes that end authentication, and how (`mes_auth_outcomes_total`). */
const AUTH_OUTCOME_BY_CODE: ReadonlyMap<string, AuthOutcome> = new Map<string, AuthOutcome>([
  [MesErrorCode.TokenMissing, 'refused'],
  [MesErrorCode.TokenInvalid, 'refused'],
  [MesErrorCode.UserNotFound, 'refused'],
  [MesErrorCode.UserInactive, 'refused'],
  [MesErrorCode.NoMesGroup, 'refused'],
  [MesErrorCode.ScopeMissing, 'refused'],
  [MesErrorCode.TokenKindNotAllowed, 'refused'],
  [MesErrorCode.BackgroundUserInvalid, 'refused'],
  [MesErrorCode.AuthorityUnreachable, 'error'],
  [AUTH_FAILURE_LIMIT_CODE, 'limited'],
]);

const DATABASE_CODES = new Set<string>([
  MesErrorCode.DatabaseUnavailable,
  MesErrorCode.DatabaseReadOnly,
]);

export interface OpsHookOptions {
  metrics: MesMetrics;
  /** Undefined when AUTH_FAILURE_LIMIT=0. */
  limiter?: AuthFailureLimiter;
  /** Whether a token was verified lately (a remembered token costs no verification). */
  isRememberedToken: (token: string) => boolean;
  /** Undefined when LOG_REQUESTS is off. */
  accessLog?: AccessLogWriter;
  /** Set on every answer (security headers; a handler may override them). */
  headers: HeaderList;
  /** Routes whose pattern starts with one of these get `routeHeaders` on top (Swagger UI). */
  routeHeaders?: { prefix: string; headers: HeaderList };
}

function setHeaders(reply: FastifyReply, headers: HeaderList): void {
  for (let i = 0; i < headers.length; i++) reply.header(headers[i][0], headers[i][1]);
}

/**
 * The per-request work of operations, in one `onRequest` and one `onResponse` hook:
 * - onRequest: echo the request id, `Cache-Control: no-store` and the security headers; refuse
 *   with 429 a request carrying a token that would need verifying from an address over the
 *   failed-authentication limit (nothing else is refused: no token means a cheap 401, and a token
 *   verified lately costs nothing, so callers that already got in keep working);
 * - onResponse: the request metrics, the authentication outcome, the failure count of the
 *   address (401 only), the 503s caused by the database, and the access-log line.
 * Call before the app's routes are registered (before `app.init()` / `listen()`).
 */
export function installOpsHooks(fastify: FastifyInstance, options: OpsHookOptions): void {
  const { metrics, limiter, isRememberedToken, accessLog, headers, routeHeaders } = options;
  fastify.decorateRequest('opsProblemCode', null);

  if (routeHeaders !== undefined) {
    const prefix = routeHeaders.prefix.toLowerCase();
    const extra = routeHeaders.headers;
    const setExtra = (_request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
      setHeaders(reply, extra);
      done();
    };
    fastify.addHook('onRoute', (route: RouteOptions) => {
      if (!route.url.toLowerCase().startsWith(prefix)) return;
      const own = route.onRequest;
      route.onRequest =
        own === undefined ? [setExtra] : [...(Array.isArray(own) ? own : [own]), setExtra];
    });
  }

  const refuse = (request: FastifyRequest, reply: FastifyReply, retryAfterS: number): void => {
    request.opsProblemCode = AUTH_FAILURE_LIMIT_CODE;
    void reply
      .code(429)
      .header('retry-after', String(retryAfterS))
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(
        JSON.stringify({
          type: `${PROBLEM_TYPE_PREFIX}${AUTH_FAILURE_LIMIT_CODE.toLowerCase()}`,
          title: 'Too many failed authentications',
          status: 429,
          detail: `Too many requests from this address failed authentication; try again in ${retryAfterS} s.`,
          code: AUTH_FAILURE_LIMIT_CODE,
          instance: requestPath(request.url),
          request_id: request.id,
        }),
      );
  };

  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.header('cache-control', 'no-store');
    setHeaders(reply, headers);
    if (limiter !== undefined && limiter.anyBlocked()) {
      const authorization = request.headers.authorization;
      if (authorization !== undefined) {
        const retryAfterS = limiter.retryAfterS(request.ip);
        if (retryAfterS > 0) {
          const token = extractBearerToken(request);
          if (token === undefined || token === '' || !isRememberedToken(token)) {
            refuse(request, reply, retryAfterS);
            return;
          }
        }
      }
    }
    done();
  });

  fastify.addHook(
    'onResponse',
    (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      const status = reply.statusCode;
      const durationMs = reply.elapsedTime;
      metrics.observeRequest(route, request.method, status, durationMs / 1000);
      const user = request.mesUser;
      if (user !== undefined) metrics.countAuth('accepted', user.mode);
      if (status >= 400) {
        const code = request.opsProblemCode;
        if (code !== null) {
          const outcome = user === undefined ? AUTH_OUTCOME_BY_CODE.get(code) : undefined;
          if (outcome !== undefined) metrics.countAuth(outcome, code);
          if (status === 503 && DATABASE_CODES.has(code)) metrics.countDatabaseUnavailable(code);
        }
        if (status === 401 && limiter !== undefined) limiter.recordFailure(request.ip);
      }
      if (accessLog !== undefined) {
        accessLog({
          requestId: request.id,
          method: request.method,
          route,
          path: requestPath(request.url) ?? '',
          status,
          durationMs,
          clientIp: request.ip,
          user,
        });
      }
      done();
    },
  );
}
