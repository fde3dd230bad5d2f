import { readFileSync } from 'node:fs';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogLevel, LoggerService } from '@nestjs/common';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { AimTokenVerifier } from '@mes-web-api/aim-auth';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { ConfigError } from './config/env-parsers';
import { HealthService } from './health/health.service';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { installJsonBodyParser } from './http/json-body';
import { answerClientError } from './http/client-error';
import { RouteTable } from './http/route-table';
import { GLOBAL_PREFIX, loadSwaggerExclusions, mountMesSwaggerUi } from './swagger-document';
import { leanAsyncResourceBind } from './ops/runtime/async-resource-bind';
import {
  apiSecurityHeaders,
  AppLogging,
  AuthFailureLimiter,
  createAppLogging,
  installOpsHooks,
  LogSink,
  MesMetrics,
  MetricsServer,
  OpsExceptionFilter,
  REQUEST_ID_HEADER,
  requestIdOf,
  swaggerSecurityHeaders,
} from './ops';

export { GLOBAL_PREFIX } from './swagger-document';

export { logLevels } from './ops';

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
  /** A logger, log levels, or false for none; default: the configured logging (LOG_FORMAT, LOG_LEVEL). */
  logger?: LoggerService | LogLevel[] | false;
  /** The configured logging, when the caller made it (main.ts, for its banner). */
  logging?: AppLogging;
  /** json logging: where the lines go instead of stdout (tests). */
  logSink?: LogSink;
}

/**
 * Builds the MES Web API on the fastify adapter, ready to `listen()`. Used by main.ts and by
 * the end-to-end tests, so both run exactly the same application.
 */
export async function createMesWebApi(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  // fastify binds a body parser callback per request; node 20's bind costs ~8 µs (see the file).
  leanAsyncResourceBind();
  const https = config.http.tls ? { https: readTls(config.http.tls) } : {};
  const swaggerExclusions = config.swaggerUi ? loadSwaggerExclusions(config) : undefined;
  const timeouts = { keepAliveTimeout: 72_000, connectionTimeout: 60_000, requestTimeout: 120_000 };
  const logging = options.logging ?? createAppLogging(config, options.logSink);
  const adapter = new FastifyAdapter({
    ...https,
    ...timeouts,
    bodyLimit: config.http.bodyLimitBytes,
    // request.id: the caller's x-request-id when valid, else a new id (echoed by installOpsHooks).
    genReqId: requestIdOf,
    // Behind the proxies in TRUST_PROXY, request.ip is the client's address from X-Forwarded-For.
    trustProxy: config.ops.trustProxy.length > 0 ? config.ops.trustProxy.join(',') : false,
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 200 },
    logger: false,
    // A request the HTTP parser refuses: a problem body and Connection: close (http/client-error).
    clientErrorHandler: answerClientError,
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
  // Shutdown: fastify closes the connections that are idle when it starts closing; a keep-alive
  // connection whose answer was still being prepared then turns idle later and would hold the
  // process until its keep-alive timeout. Idle connections are closed every 100 ms until the
  // server has closed.
  let idleSweep: NodeJS.Timeout | undefined;
  fastify.addHook('preClose', (done) => {
    idleSweep = setInterval(() => fastify.server.closeIdleConnections(), 100);
    idleSweep.unref();
    done();
  });
  fastify.addHook('onClose', (_instance, done) => {
    clearInterval(idleSweep);
    done();
  });
  // Bodies are JSON only: fastify's own JSON parser (bodyLimit, prototype-poisoning checks) stays,
  // Nest's form parser is not added and the text parser goes, so any other type answers 415.
  fastify.removeContentTypeParser('text/plain');
  installJsonBodyParser(fastify);

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: options.logger ?? logging.logger,
    abortOnError: false,
    bodyParser: false,
  });
  app.setGlobalPrefix(GLOBAL_PREFIX);
  app.useGlobalFilters(
    new OpsExceptionFilter(new ApiExceptionFilter(app.get(HttpAdapterHost), routes)),
  );
  if (config.http.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.http.corsOrigins.includes('*') ? '*' : config.http.corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'trans_id',
        'tz_id',
        'max_rows',
        REQUEST_ID_HEADER,
      ],
      exposedHeaders: ['WWW-Authenticate', 'Allow', 'Retry-After', REQUEST_ID_HEADER],
      maxAge: 600,
    });
  }
  const verifier = app.get(AimTokenVerifier);
  const tls = config.http.tls !== undefined;
  installOpsHooks(fastify, {
    metrics: app.get(MesMetrics),
    limiter:
      config.ops.authFailureLimit > 0
        ? new AuthFailureLimiter({ limit: config.ops.authFailureLimit })
        : undefined,
    isRememberedToken: (token) => verifier.remembered(token) !== undefined,
    accessLog: logging.accessLog,
    headers: apiSecurityHeaders(tls),
    routeHeaders: {
      prefix: `/${GLOBAL_PREFIX}/swagger`,
      headers: swaggerSecurityHeaders(tls, config.aim.authorities),
    },
  });
  if (swaggerExclusions) mountMesSwaggerUi(app, config, swaggerExclusions);
  // SIGTERM/SIGINT: readiness turns 503, then the server stops accepting, lets in-flight requests
  // finish (fastify answers new ones on open connections with 503), closes the database and the
  // metrics listener, then exits with code 0 (not by the signal).
  app.enableShutdownHooks([], { useProcessExit: true });
  return app;
}

/** Where the API and its metrics listen, once `listenMesWebApi` has opened them. */
export interface MesWebApiAddresses {
  /** e.g. http://127.0.0.1:3000 */
  origin: string;
  /** e.g. http://127.0.0.1:9464/metrics; undefined with METRICS_PORT=off. */
  metricsUrl?: string;
}

/**
 * Opens the API on HOST:PORT and the metrics listener on METRICS_HOST:METRICS_PORT, then starts
 * fetching the authorities' keys (readiness waits for them). main.ts starts the API this way;
 * tests that call `app.listen()` themselves get no metrics listener unless they open it.
 */
export async function listenMesWebApi(
  app: NestFastifyApplication,
  config: AppConfig,
): Promise<MesWebApiAddresses> {
  await app.listen({ port: config.http.port, host: config.http.host });
  const scheme = config.http.tls ? 'https' : 'http';
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const metrics = config.ops.metrics;
  const metricsUrl = metrics
    ? await app.get(MetricsServer).listen(metrics.host, metrics.port)
    : undefined;
  void app.get(HealthService).contactAuthorities();
  return { origin: `${scheme}://${config.http.host}:${port}`, metricsUrl };
}
