import 'reflect-metadata';
import { hostname } from 'node:os';
import { AppConfig, loadAppConfig } from './config/app-config';
import { ConfigError } from './config/env-parsers';
import { createMesWebApi, GLOBAL_PREFIX, listenMesWebApi, MesWebApiAddresses } from './bootstrap';
import { AppLogging, createAppLogging } from './ops';
import { keepTickObjectShape } from './ops/runtime/tick-object-shape';
import { describeStartupError } from './startup-error';

function printBanner(
  config: AppConfig,
  logging: AppLogging,
  { origin: url, metricsUrl }: MesWebApiAddresses,
): void {
  const lines = [
    `MES Web API listening on ${url}/${GLOBAL_PREFIX}/`,
    `  API:        ${url}/${GLOBAL_PREFIX}/api/v3/...   (bearer token required)`,
    `  Health:     ${url}/${GLOBAL_PREFIX}/health   (probes: /health/live, /health/ready)`,
    `  Metrics:    ${metricsUrl ?? 'off (METRICS_PORT=off)'}`,
    config.swaggerUi
      ? `  Swagger UI: ${url}/${GLOBAL_PREFIX}/swagger/   (file: ${url}/${GLOBAL_PREFIX}/swagger/json)`
      : '  Swagger UI: off (SWAGGER_UI=false); the file: npm run swagger -- --out swagger.json',
    `  Database:   ${config.db.type === 'sqlite' ? `SQLite ${config.db.path}` : `SQL Server ${config.db.host}:${config.db.port}/${config.db.database}`}`,
    `  Authority:  ${config.aim.authorities.join(', ')}${config.aim.useDevAuthority ? '  (DEVELOPMENT authority)' : ''}`,
    `  Cache:      ${config.redisUrl ? 'Redis (shared)' : 'in-memory'}`,
  ];
  if (config.aim.useDevAuthority) {
    lines.push(
      '  Tokens:     npm run -s token -- --user "mes\\operator"',
      '              npm run -s token -- --client mes-scheduler --secret dev-scheduler-secret',
    );
  }
  logging.banner(lines, {
    api_url: `${url}/${GLOBAL_PREFIX}/`,
    metrics_url: metricsUrl ?? null,
    swagger_ui: config.swaggerUi,
    database: config.db.type,
    authorities: config.aim.authorities,
    development_authority: config.aim.useDevAuthority,
    cache: config.redisUrl ? 'redis' : 'memory',
  });
}

/**
 * A start-up failure, as one line: JSON when json logs were asked for (LOG_FORMAT=json, or
 * NODE_ENV=production without LOG_FORMAT), even when the configuration itself is what failed.
 */
function fatal(message: string): never {
  const format = process.env.LOG_FORMAT?.trim().toLowerCase();
  const json = format === 'json' || (!format && process.env.NODE_ENV?.trim() === 'production');
  process.stderr.write(
    json
      ? `${JSON.stringify({ level: 'fatal', time: Date.now(), pid: process.pid, hostname: hostname(), name: 'mes-web-api', context: 'main', msg: message })}\n`
      : `${message}\n`,
  );
  process.exit(1);
}

async function main(): Promise<void> {
  // Before the start-up's garbage collections: see the function (docs/operations.md, Measurements).
  keepTickObjectShape();
  let config: AppConfig;
  try {
    config = loadAppConfig();
  } catch (error) {
    if (error instanceof ConfigError) fatal(`mes-web-api: ${error.message}`);
    throw error;
  }
  const logging = createAppLogging(config);
  try {
    const app = await createMesWebApi(config, { logging });
    printBanner(config, logging, await listenMesWebApi(app, config));
  } catch (error) {
    fatal(`mes-web-api: cannot start: ${describeStartupError(error)}`);
  }
}

void main();
