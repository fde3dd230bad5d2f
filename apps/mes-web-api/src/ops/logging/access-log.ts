import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import type { MesPrincipal } from '@mes-web-api/common';
import type { LogSink } from './json-logger';

/** What one access-log line says about a request. Never headers, tokens, query strings or bodies. */
export interface AccessLogEntry {
  requestId: string;
  method: string;
  /** The route pattern (`/mesmw/api/v3/entity/key`), `<unmatched>` for unknown routes. */
  route: string;
  /** The path without its query string (which may carry values that must not be logged). */
  path: string;
  status: number;
  durationMs: number;
  clientIp: string | undefined;
  user: MesPrincipal | undefined;
}

export type AccessLogWriter = (entry: AccessLogEntry) => void;

/** Characters that need no escaping inside a JSON string (printable ASCII but `"` and `\`). */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A JSON string literal; the common plain case without JSON.stringify. */
export function jsonString(value: string): string {
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}

/**
 * json mode: one line per request in the same shape as the pino lines (`level`, `time`, `pid`,
 * `hostname`, `name`, `context`, `msg`), built by hand for its fixed fields and written to
 * pino's destination, so it costs one string per request and no object walk.
 */
export function jsonAccessLog(sink: LogSink): AccessLogWriter {
  const head = `{"level":"info","time":`;
  const base = `,"pid":${process.pid},"hostname":${jsonString(hostname())},"name":"mes-web-api","context":"http","msg":"request","req_id":`;
  return (e) => {
    const user = e.user;
    sink.write(
      head +
        Date.now() +
        base +
        jsonString(e.requestId) +
        ',"method":' +
        jsonString(e.method) +
        ',"route":' +
        jsonString(e.route) +
        ',"path":' +
        jsonString(e.path) +
        ',"status":' +
        e.status +
        ',"duration_ms":' +
        Math.round(e.durationMs * 1000) / 1000 +
        (e.clientIp === undefined ? '' : ',"client_ip":' + jsonString(e.clientIp)) +
        (user === undefined
          ? ''
          : ',"user":' +
            jsonString(user.userId) +
            ',"mode":"' +
            user.mode +
            '"' +
            (user.clientId === undefined ? '' : ',"client_id":' + jsonString(user.clientId))) +
        '}\n',
    );
  };
}

/** pretty mode: one readable line per request through Nest's logger (context `HTTP`). */
export function prettyAccessLog(logger = new Logger('HTTP')): AccessLogWriter {
  return (e) => {
    const user = e.user;
    logger.log(
      `${e.method} ${e.path} ${e.status} ${e.durationMs.toFixed(1)}ms route=${e.route} id=${e.requestId}` +
        (e.clientIp === undefined ? '' : ` ip=${e.clientIp}`) +
        (user === undefined
          ? ''
          : ` user=${user.mode}:${user.userId}` +
            (user.clientId === undefined ? '' : ` client=${user.clientId}`)),
    );
  };
}
