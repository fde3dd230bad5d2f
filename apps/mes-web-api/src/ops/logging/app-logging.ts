import { LoggerService, LogLevel } from '@nestjs/common';
import type { OpsConfig } from '../../config/ops-config';
import { AccessLogWriter, jsonAccessLog, prettyAccessLog } from './access-log';
import { createPinoLogger, LogSink, PinoNestLogger } from './json-logger';
import { batchedStdout } from './stdout-sink';

const LEVELS: readonly LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** Nest's levels up to and including `level`. */
export function logLevels(level: LogLevel): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

/** The application's logging, chosen once from LOG_FORMAT / LOG_LEVEL / LOG_REQUESTS. */
export interface AppLogging {
  /** For `NestFactory.create({ logger })`. */
  readonly logger: LoggerService | LogLevel[];
  /** The access-log writer, or undefined when LOG_REQUESTS is off (nothing is built per request then). */
  readonly accessLog?: AccessLogWriter;
  /** Writes the start-up banner whatever the level: plain lines, or one JSON line with `fields`. */
  banner(lines: string[], fields: Record<string, unknown>): void;
}

/**
 * json: one stdout stream shared by pino (Nest's lines, ours) and the access log, written once
 * per event-loop turn and flushed on process exit (`batchedStdout`), so no line is lost on a
 * normal exit, including SIGTERM and `process.exit()` (test/ops/logging.e2e-spec.ts counts them).
 */
export function createAppLogging(
  config: { logLevel: LogLevel; ops: Pick<OpsConfig, 'logFormat' | 'logRequests'> },
  sink?: LogSink,
): AppLogging {
  if (config.ops.logFormat === 'pretty') {
    return {
      logger: logLevels(config.logLevel),
      accessLog: config.ops.logRequests ? prettyAccessLog() : undefined,
      banner: (lines) => console.log(lines.join('\n')),
    };
  }
  const destination = sink ?? batchedStdout();
  const root = createPinoLogger(config.logLevel, destination);
  const always = root.child({ context: 'main' }, { level: 'info' });
  return {
    logger: new PinoNestLogger(root),
    accessLog: config.ops.logRequests ? jsonAccessLog(destination) : undefined,
    banner: (lines, fields) => always.info(fields, lines[0]),
  };
}
