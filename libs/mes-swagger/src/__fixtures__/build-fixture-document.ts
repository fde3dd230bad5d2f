import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { OpenAPIObject } from '@nestjs/swagger';
import { buildMesSwaggerDocument, MesSwaggerDocumentOptions } from '../document/build-document';
import { FixtureApiModule } from './fixture-api.module';

export const FIXTURE_DOCUMENT_OPTIONS: MesSwaggerDocumentOptions = {
  title: 'Fixture MES API',
  version: '1.2.3',
  description: 'Fixture for the mes-swagger tests.',
  authority: { issuer: 'http://127.0.0.1:5000/identitymanager/', clientId: 'mes-swagger-ui' },
  serverUrl: 'http://127.0.0.1:3000/',
};

/** Creates a preview app of `module`, runs `fn` on it, and always closes it. */
export async function withPreviewApp<T>(
  module: unknown,
  fn: (app: INestApplication) => T | Promise<T>,
): Promise<T> {
  const app = await NestFactory.create(module as never, new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

/** The full (unfiltered) document of the fixture API. */
export function buildFixtureDocument(
  options: Partial<MesSwaggerDocumentOptions> = {},
): Promise<OpenAPIObject> {
  return withPreviewApp(FixtureApiModule, (app) =>
    buildMesSwaggerDocument(app, { ...FIXTURE_DOCUMENT_OPTIONS, ...options }),
  );
}
