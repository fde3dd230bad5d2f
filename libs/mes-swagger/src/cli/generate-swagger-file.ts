import { INestApplication } from '@nestjs/common';
import { AbstractHttpAdapter, IEntryNestModule, NestFactory } from '@nestjs/core';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { loadExclusions, MesExclusions } from '../exclusions/exclusions';
import { buildMesSwaggerDocument, MesSwaggerDocumentOptions } from '../document/build-document';
import {
  filterExcludedOperations,
  FilterExcludedResult,
  RemovedOperation,
} from '../document/filter-excluded';
import { forEachOperation } from '../document/openapi-walk';
import { stableStringify, toStableYaml } from '../document/stable-stringify';

export type SwaggerFileFormat = 'json' | 'yaml';

export interface GenerateSwaggerFileOptions extends MesSwaggerDocumentOptions {
  /** The app's root module (e.g. AppModule); created in preview mode, no provider runs. */
  module: IEntryNestModule;
  /** Output file; `.json`, `.yaml` or `.yml`. */
  out: string;
  /** Deployment exclusion file; `undefined` reads MES_SWAGGER_EXCLUDE_FILE from `env`, `null` means none. */
  excludeFile?: string | null;
  env?: Readonly<Record<string, string | undefined>>;
  /** The global prefix the app sets at start-up (e.g. `mesmw`), so paths match the served API. */
  globalPrefix?: string;
  /**
   * The HTTP adapter to build the preview app on; default a new `FastifyAdapter` (the optional
   * peer `@nestjs/platform-fastify`). An express app passes `new ExpressAdapter()`.
   */
  httpAdapter?: AbstractHttpAdapter;
}

/** `new FastifyAdapter()`, loaded only when no adapter is given. */
function defaultHttpAdapter(): AbstractHttpAdapter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fastify = require('@nestjs/platform-fastify') as typeof import('@nestjs/platform-fastify');
  return new fastify.FastifyAdapter();
}

export interface GenerateSwaggerFileResult {
  /** Absolute path written. */
  out: string;
  format: SwaggerFileFormat;
  /** Operations left in the file. */
  operations: number;
  removed: RemovedOperation[];
  /** Excluded names matching no operation, split by where they came from. */
  unmatched: { listed: string[]; deployment: string[] };
  /** Warnings about the deployment file. */
  warnings: string[];
  exclusions: MesExclusions;
}

/** `json` or `yaml` from the file name; throws for anything else. */
export function swaggerFileFormat(out: string): SwaggerFileFormat {
  const ext = extname(out).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  throw new Error(`--out ${JSON.stringify(out)}: the file name must end in .json, .yaml or .yml.`);
}

/** Builds the document of a running or preview app and removes the excluded methods. */
export function createMesSwaggerDocument(
  app: INestApplication,
  options: MesSwaggerDocumentOptions,
  exclusions: MesExclusions,
): FilterExcludedResult {
  return filterExcludedOperations(buildMesSwaggerDocument(app, options), exclusions);
}

/**
 * Writes the Swagger file without the excluded methods. Needs no database and no authority:
 * the module is created with `preview: true`, so providers are never instantiated. Output is
 * deterministic (sorted keys), so two runs give byte-identical files. Throws on a bad output
 * name or a bad exclusion file, before creating the app.
 */
export async function generateSwaggerFile(
  options: GenerateSwaggerFileOptions,
): Promise<GenerateSwaggerFileResult> {
  const format = swaggerFileFormat(options.out);
  const exclusions = loadExclusions({ extraFile: options.excludeFile, env: options.env });

  const app = await NestFactory.create(
    options.module,
    options.httpAdapter ?? defaultHttpAdapter(),
    {
      preview: true,
      abortOnError: false,
      logger: false,
    },
  );
  let result: FilterExcludedResult;
  try {
    if (options.globalPrefix) app.setGlobalPrefix(options.globalPrefix);
    result = createMesSwaggerDocument(app, options, exclusions);
  } finally {
    await app.close();
  }

  const out = resolve(options.out);
  const text = format === 'json' ? stableStringify(result.document) : toStableYaml(result.document);
  mkdirSync(dirname(out), { recursive: true });
  const temp = `${out}.${process.pid}.tmp`;
  writeFileSync(temp, text, 'utf8');
  renameSync(temp, out);

  let operations = 0;
  forEachOperation(result.document, () => operations++);
  const deploymentNames = new Set(
    exclusions.methods.filter((m) => m.reason === 'deployment').map((m) => m.method),
  );
  return {
    out,
    format,
    operations,
    removed: result.removed,
    unmatched: {
      listed: result.unmatched.filter((m) => !deploymentNames.has(m)),
      deployment: result.unmatched.filter((m) => deploymentNames.has(m)),
    },
    warnings: [...exclusions.warnings],
    exclusions,
  };
}
