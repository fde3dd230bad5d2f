import 'reflect-metadata';
import { AppConfig, loadAppConfig } from './config/app-config';
import { ConfigError } from './config/env-parsers';
import { createMesWebApi, GLOBAL_PREFIX } from './bootstrap';
import { describeStartupError } from './startup-error';

function printBanner(config: AppConfig, url: string): void {
  const lines = [
    `MES Web API listening on ${url}/${GLOBAL_PREFIX}/`,
    `  API:        ${url}/${GLOBAL_PREFIX}/api/v3/...   (bearer token required)`,
    `  Health:     ${url}/${GLOBAL_PREFIX}/health`,
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
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadAppConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`mes-web-api: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  try {
    const app = await createMesWebApi(config);
    await app.listen({ port: config.http.port, host: config.http.host });
    const scheme = config.http.tls ? 'https' : 'http';
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.http.port;
    printBanner(config, `${scheme}://${config.http.host}:${port}`);
  } catch (error) {
    console.error(`mes-web-api: cannot start: ${describeStartupError(error)}`);
    process.exit(1);
  }
}

void main();
