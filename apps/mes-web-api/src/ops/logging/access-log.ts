import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import { jsonStringText, type MesPrincipal } from '@mes-web-api/common';
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

/** Most distinct routes (and methods) whose JSON text is kept; beyond it, it is written each time. */
const MAX_KEPT = 10_000;

/** `value`'s JSON text from `kept`, written once (up to MAX_KEPT distinct values). */
function keptJson(kept: Map<string, string>, value: string, prefix: string): string {
  let text = kept.get(value);
  if (text === undefined) {
    text = prefix + jsonStringText(value);
    if (kept.size < MAX_KEPT) kept.set(value, text);
  }
  return text;
}

/** Milliseconds with 3 decimals (`12.345`), without converting a fraction to text. */
function millis(durationMs: number): string {
  const us = Math.round(durationMs * 1000);
  if (!(us >= 0 && us < 1e15)) return String(Math.round(durationMs * 1000) / 1000);
  const frac = us % 1000;
  return `${(us - frac) / 1000}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`;
}

/**
 * json mode: one line per request in the same shape as the pino lines (`level`, `time`, `pid`,
 * `hostname`, `name`, `context`, `msg`), built by hand for its fixed fields and written to
 * pino's destination, so it costs one string per request and no object walk. The texts that
 * repeat (method, route, client address, user) are escaped once and reused; only the path and
 * the request id are checked on every line.
 */
export function jsonAccessLog(sink: LogSink): AccessLogWriter {
  const head = `{"level":"info","time":`;
  const base = `,"pid":${process.pid},"hostname":${jsonStringText(hostname())},"name":"mes-web-api","context":"http","msg":"request","req_id":`;
  const methods = new Map<string, string>();
  const routes = new Map<string, string>();
  const users = new WeakMap<MesPrincipal, string>();
  let lastIp: string | undefined;
  let lastIpText = '';
  // Many lines share a millisecond under load: its text is written once.
  let lastTime = -1;
  let lastTimeText = '';
  return (e) => {
    const time = Date.now();
    if (time !== lastTime) {
      lastTime = time;
      lastTimeText = String(time);
    }
    let client = '';
    if (e.clientIp !== undefined) {
      if (e.clientIp !== lastIp) {
        lastIp = e.clientIp;
        lastIpText = ',"client_ip":' + jsonStringText(e.clientIp);
      }
      client = lastIpText;
    }
    let user = '';
    if (e.user !== undefined) {
      const principal = e.user;
      const kept = users.get(principal);
      if (kept !== undefined) user = kept;
      else {
        user =
          ',"user":' +
          jsonStringText(principal.userId) +
          ',"mode":"' +
          principal.mode +
          '"' +
          (principal.clientId === undefined
            ? ''
            : ',"client_id":' + jsonStringText(principal.clientId));
        if (Object.isFrozen(principal)) users.set(principal, user);
      }
    }
    sink.write(
      head +
        lastTimeText +
        base +
        jsonStringText(e.requestId) +
        keptJson(methods, e.method, ',"method":') +
        keptJson(routes, e.route, ',"route":') +
        ',"path":' +
        jsonStringText(e.path) +
        ',"status":' +
        e.status +
        ',"duration_ms":' +
        millis(e.durationMs) +
        client +
        user +
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
