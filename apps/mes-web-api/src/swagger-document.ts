import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { INestApplication, Logger } from '@nestjs/common';
import {
  createMesSwaggerDocument,
  ExclusionFileError,
  loadExclusions,
  MesExclusions,
  MesSwaggerDocumentOptions,
  MesSwaggerUiPaths,
  setupMesSwaggerUi,
} from '@mes-web-api/mes-swagger';
import { MesMethodRegistry, mesMethodsDocument } from '@mes-web-api/mes-methods';
import type { AppConfig } from './config/app-config';
import { ConfigError } from './config/env-parsers';
import { MES_METHODS } from './methods';

/** The global prefix of every route (`/mesmw/...`). */
export const GLOBAL_PREFIX = 'mesmw';

/**
 * The options of the MES Web API's Swagger document. `npm run swagger` and the running app
 * (`/mesmw/swagger/json`) both build the document from these, so the file and the served
 * document are the same.
 */
export function mesSwaggerDocumentOptions(
  issuer: string,
  clientId: string,
): MesSwaggerDocumentOptions {
  return {
    title: 'MES Web API',
    version: packageVersion(),
    description:
      'MES middleware Web API. The operationId of every route is its MES method name; MiddlewareAccess offers every method as V3_MiddlewareAccess_<Obj>_<Cmd> (x-mes-method names it). Methods that cannot be used from workflows are left out in every form (see x-mes-excluded).',
    authority: { issuer, clientId },
  };
}

/**
 * The Swagger extension of this API's MES method registry: the models the routes refer to and
 * one MiddlewareAccess operation per method. Part of the served document and of `npm run swagger`.
 */
export function mesApiDocumentExtension(): NonNullable<MesSwaggerDocumentOptions['extend']> {
  return mesMethodsDocument(new MesMethodRegistry(MES_METHODS), GLOBAL_PREFIX);
}

let version: string | undefined;

/** The version in the root package.json (found upwards from this file, in src or dist). */
export function packageVersion(): string {
  if (version !== undefined) return version;
  version = '0.0.0';
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'mes-web-api' && pkg.version) {
      version = pkg.version;
      break;
    }
  }
  return version;
}

/**
 * The exclusion lists plus MES_SWAGGER_EXCLUDE_FILE, read before the app is built so a bad file
 * stops the start-up with one line naming it (a ConfigError), like any other bad setting.
 */
export function loadSwaggerExclusions(config: AppConfig): MesExclusions {
  try {
    return loadExclusions({ extraFile: config.swaggerExcludeFile ?? null });
  } catch (error) {
    if (error instanceof ExclusionFileError) throw new ConfigError(error.message);
    throw error;
  }
}

/**
 * Serves Swagger UI at /mesmw/swagger and the filtered document at /mesmw/swagger/json (and
 * /yaml): the same document `npm run swagger` writes. These routes sit on the HTTP adapter,
 * outside Nest's router, so the global token guard does not apply to them; /mesmw/api stays
 * protected. Call after the global prefix is set and before listen().
 */
export function mountMesSwaggerUi(
  app: INestApplication,
  config: AppConfig,
  exclusions: MesExclusions,
): MesSwaggerUiPaths {
  const { document, unmatched } = createMesSwaggerDocument(
    app,
    {
      ...mesSwaggerDocumentOptions(config.aim.authorities[0], config.swaggerClientId),
      extend: mesApiDocumentExtension(),
    },
    exclusions,
  );
  const log = new Logger('Swagger');
  const deployment = new Set(
    exclusions.methods.filter((m) => m.reason === 'deployment').map((m) => m.method),
  );
  for (const warning of exclusions.warnings) log.warn(warning);
  for (const name of unmatched.filter((m) => deployment.has(m))) {
    log.warn(
      `${name} (from ${config.swaggerExcludeFile}) matches no operation of this API; check the spelling.`,
    );
  }
  return setupMesSwaggerUi(app, document, { oauthClientId: config.swaggerClientId });
}
