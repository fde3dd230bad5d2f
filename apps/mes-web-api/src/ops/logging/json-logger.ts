import { LoggerService, LogLevel } from '@nestjs/common';
import pino, { DestinationStream, Level, Logger } from 'pino';

/** Nest's levels as pino's (Nest `log` is pino `info`, `verbose` is `trace`). */
export const PINO_LEVEL: Readonly<Record<LogLevel, Level>> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * Keys that are never written, whatever object reaches the logger (defence in depth: the code
 * never logs headers, bodies or credentials on purpose).
 */
export const REDACTED_KEYS = [
  'authorization',
  'password',
  'secret',
  'client_secret',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
];

/** A writable line sink: pino's destination, or any stream in tests. */
export type LogSink = DestinationStream;

/**
 * The pino logger of json mode: one JSON object per line with `level` as a word, `time` in epoch
 * milliseconds, `pid`, `hostname`, `name`, `context`, `msg`.
 */
export function createPinoLogger(level: LogLevel, sink: LogSink): Logger {
  return pino(
    {
      name: 'mes-web-api',
      level: PINO_LEVEL[level],
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`)],
        censor: '[redacted]',
      },
    },
    sink,
  );
}

/**
 * Nest's LoggerService over pino, so Nest's own lines (start-up, routes, errors with their
 * stack) and ours come out as the same JSON lines. Nest passes the context as the last string
 * argument, and an error's stack before it.
 */
export class PinoNestLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params, false);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params, true);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params, false);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params, false);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params, false);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params, true);
  }

  private write(level: Level, message: unknown, params: unknown[], withStack: boolean): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string') {
      fields.context = rest.pop();
    }
    if (withStack && typeof rest[0] === 'string') fields.stack = rest.shift();
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level](Object.assign({}, fields, message));
    } else {
      this.pino[level](fields, String(message));
    }
  }
}
