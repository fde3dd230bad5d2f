import { readFileSync } from 'node:fs';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogLevel, Logger, LoggerService } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest, FastifyReply, RouteOptions } from 'fastify';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { ConfigError } from './config/env-parsers';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { RouteTable } from './http/route-table';
import { GLOBAL_PREFIX, loadSwaggerExclusions, mountMesSwaggerUi } from './swagger-document';

export { GLOBAL_PREFIX } from './swagger-document';

const LEVELS: readonly LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

export function logLevels(level: AppConfig['logLevel']): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

function readTls(tls: NonNullable<AppConfig['http']['tls']>): { cert: Buffer; key: Buffer } {
  const read = (name: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(
        `Cannot read ${name}=${file} (${reason}): point it at a readable PEM file.`,
      );
    }
  };
  return { cert: read('TLS_CERT_FILE', tls.certFile), key: read('TLS_KEY_FILE', tls.keyFile) };
}

export interface CreateAppOptions {
  /** A logger, log levels, or false for none; default: Nest's console logger at the configured level. */
  logger?: LoggerService | LogLevel[] | false;
}

/**
 * Builds the MES Web API on the fastify adapter, ready to `listen()`. Used by main.ts and by
 * the end-to-end tests, so both run exactly the same application.
 */
export async function createMesWebApi(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const https = config.http.tls ? { https: readTls(config.http.tls) } : {};
  const swaggerExclusions = config.swaggerUi ? loadSwaggerExclusions(config) : undefined;
  const timeouts = { keepAliveTimeout: 72_000, connectionTimeout: 60_000, requestTimeout: 120_000 };
  const adapter = new FastifyAdapter({
    ...https,
    ...timeouts,
    bodyLimit: config.http.bodyLimitBytes,
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 200 },
    logger: false,
    return503OnClosing: true,
    // No Nest (connect-style) middleware is used, so @fastify/middie and its per-request onRequest
    // pass are skipped (CORS and Swagger UI are fastify plugins/hooks). A module that adds
    // middleware would need this removed.
    skipMiddie: true,
    forceCloseConnections: 'idle',
  } as ConstructorParameters<typeof FastifyAdapter>[0]);
  const routes = new RouteTable();
  const fastify = adapter.getInstance<FastifyInstance>();
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.add(method, route.url);
  });
  // Bodies are JSON only: fastify's own JSON parser (bodyLimit, prototype-poisoning checks) stays,
  // Nest's form parser is not added and the text parser goes, so any other type answers 415.
  fastify.removeContentTypeParser('text/plain');

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: options.logger ?? logLevels(config.logLevel),
    abortOnError: false,
    bodyParser: false,
  });
  app.setGlobalPrefix(GLOBAL_PREFIX);
  app.useGlobalFilters(new ApiExceptionFilter(app.get(HttpAdapterHost), routes));
  // Request DTOs are validated by `dtoValidation`, given on each DTO parameter (http/validation.ts).
  if (config.http.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.http.corsOrigins.includes('*') ? '*' : config.http.corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'trans_id', 'tz_id', 'max_rows'],
      exposedHeaders: ['WWW-Authenticate', 'Allow'],
      maxAge: 600,
    });
  }
  if (swaggerExclusions) mountMesSwaggerUi(app, config, swaggerExclusions);
  if (logLevels(config.logLevel).includes('debug')) installRequestLog(app);
  // SIGTERM/SIGINT: stop accepting, let in-flight requests finish (fastify answers new ones on
  // open connections with 503), close the database, then exit with code 0 (not by the signal).
  app.enableShutdownHooks([], { useProcessExit: true });
  return app;
}

/** One line per request at debug level: method, path (no query string), status, time, MES user. Never headers or bodies. */
function installRequestLog(app: NestFastifyApplication): void {
  const log = new Logger('HTTP');
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const path = request.url.split('?', 1)[0];
      const user = (request as FastifyRequest & { mesUser?: { userId: string; mode: string } })
        .mesUser;
      log.debug(
        `${request.method} ${path} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms` +
          (user ? ` ${user.mode}:${user.userId}` : ''),
      );
      done();
    });
}
