import { join } from 'node:path';
import { ExpressAdapter } from '@nestjs/platform-express';
import { generateSwaggerFile, GenerateSwaggerFileResult } from '@mes-web-api/mes-swagger';
import { AppModule } from './app.module';

/** The app's deployment exclusions (mes-swagger's text format). */
export const EXCLUDE_FILE = join(__dirname, '..', '..', 'swagger-exclude.txt');

/** Writes the app's Swagger file; no database and no authority needed (preview mode). */
export function writeSwaggerFile(out: string, issuer: string): Promise<GenerateSwaggerFileResult> {
  return generateSwaggerFile({
    module: AppModule.forRoot({ issuer, dbPath: ':unused:' }),
    httpAdapter: new ExpressAdapter(),
    out,
    excludeFile: EXCLUDE_FILE,
    title: 'Consumer app',
    version: '1.0.0',
    authority: { issuer, clientId: 'mes-swagger-ui' },
  });
}

if (require.main === module) {
  const out = process.argv[2] ?? 'swagger.json';
  writeSwaggerFile(out, process.env.AIM_AUTHORITY ?? 'http://127.0.0.1:5000/identitymanager').then(
    (result) => console.log(`${result.out}: ${result.operations} operations`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
