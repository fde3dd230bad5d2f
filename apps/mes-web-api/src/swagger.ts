/**
 * Writes the Swagger (OpenAPI) file without the excluded MES methods:
 *   npm run swagger -- --out <file.json|file.yaml> [--exclude-file <file>]
 * Needs no database and no authority (the app module is created in preview mode).
 */
import { parseArgs } from 'node:util';
import type { IEntryNestModule } from '@nestjs/core';
import { EXCLUDE_FILE_ENV, generateSwaggerFile, MesSwaggerDocumentOptions } from '@mes-web-api/mes-swagger';
import { devAuthorityIssuer, swaggerClientId } from './config/app-config';
import { Env, int, issuerUrl, list } from './config/env-parsers';
import { mesSwaggerDocumentOptions } from './swagger-document';

export const SWAGGER_CLI_USAGE =
  'Usage: npm run swagger -- --out <file.json|file.yaml|file.yml> [--exclude-file <file>]';

export interface SwaggerCliIo {
  env?: Env;
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
  /** The module to document and its global prefix; defaults to the app's AppModule and `mesmw` (loaded lazily). */
  module?: IEntryNestModule;
  globalPrefix?: string;
  /** Changes to the document of `module` (the app's: its MES method registry). */
  extend?: MesSwaggerDocumentOptions['extend'];
}

/** Runs the CLI; resolves to the process exit code (0 ok, 1 bad arguments or exclusion file). */
export async function runSwaggerCli(
  argv: readonly string[],
  io: SwaggerCliIo = {},
): Promise<number> {
  const env = io.env ?? process.env;
  const out = io.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));

  let values: { out?: string; 'exclude-file'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        out: { type: 'string' },
        'exclude-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    err(`swagger: ${(e as Error).message}`);
    err(SWAGGER_CLI_USAGE);
    return 1;
  }
  if (values.help) {
    out(SWAGGER_CLI_USAGE);
    return 0;
  }
  if (!values.out) {
    err('swagger: --out <file> is required.');
    err(SWAGGER_CLI_USAGE);
    return 1;
  }

  try {
    const issuers = list(env, 'AIM_AUTHORITY', []).map((a) => issuerUrl('AIM_AUTHORITY', a));
    const issuer = issuers[0] ?? devAuthorityIssuer(int(env, 'AIM_DEV_PORT', 5000, 1, 65535));
    const { module, globalPrefix, extend } = io.module
      ? { module: io.module, globalPrefix: io.globalPrefix, extend: io.extend }
      : await appModule();
    const result = await generateSwaggerFile({
      module,
      globalPrefix,
      out: values.out,
      excludeFile: values['exclude-file'] ?? env[EXCLUDE_FILE_ENV] ?? null,
      ...mesSwaggerDocumentOptions(issuer, swaggerClientId(env)),
      extend,
    });
    const extra = result.exclusions.extraFile ? ` + ${result.exclusions.extraFile}` : '';
    out(
      `Wrote ${result.out} (${result.format}): ${result.operations} operations, ${result.removed.length} excluded operations removed (exclusion lists ${result.exclusions.version}${extra}).`,
    );
    for (const warning of result.warnings) err(`warning: ${warning}`);
    for (const name of result.unmatched.deployment) {
      err(
        `warning: ${name} (from the exclusion file) matches no operation of this API; check the spelling.`,
      );
    }
    if (result.unmatched.listed.length > 0) {
      err(
        `note: ${result.unmatched.listed.length} listed excluded methods are not implemented by this API, nothing to remove: ${result.unmatched.listed.join(', ')}.`,
      );
    }
    return 0;
  } catch (e) {
    err(`swagger: ${(e as Error).message}`);
    return 1;
  }
}

/** The real app, loaded only when needed so tests can document a fixture module instead. */
async function appModule(): Promise<{
  module: IEntryNestModule;
  globalPrefix: string;
  extend: MesSwaggerDocumentOptions['extend'];
}> {
  const [{ AppModule }, { GLOBAL_PREFIX, mesApiDocumentExtension }] = await Promise.all([
    import('./app.module'),
    import('./swagger-document'),
  ]);
  return {
    module: AppModule.forRoot(),
    globalPrefix: GLOBAL_PREFIX,
    extend: mesApiDocumentExtension(),
  };
}

if (require.main === module) {
  void runSwaggerCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
