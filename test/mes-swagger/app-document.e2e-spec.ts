import SwaggerParser from '@apidevtools/swagger-parser';
import { OpenAPIObject } from '@nestjs/swagger';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertEveryOperationHasUniqueMesMethod,
  builtInExclusions,
  EXCLUDED_EXTENSION,
} from '@mes-web-api/mes-swagger';
import { runSwaggerCli } from '../../apps/mes-web-api/src/swagger';

/**
 * The real AppModule, documented the way `npm run swagger` does it: no database, no authority.
 * DB_TYPE points at a closed SQL Server port, so any connection attempt would fail the run.
 */
describe('Swagger file of the MES Web API (AppModule)', () => {
  const saved = { ...process.env };
  let dir: string;
  let document: OpenAPIObject;
  let stderr: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-swagger-app-'));
    Object.assign(process.env, {
      DB_TYPE: 'mssql',
      DB_HOST: '127.0.0.1',
      DB_PORT: '1',
      DB_NAME: 'none',
      DB_PASSWORD: 'never-printed',
    });
    delete process.env.MES_SWAGGER_EXCLUDE_FILE;
    stderr = [];
    const out = join(dir, 'swagger.json');
    const code = await runSwaggerCli(['--out', out], {
      env: {},
      stdout: () => undefined,
      stderr: (l) => stderr.push(l),
    });
    expect({ code, stderr }).toMatchObject({ code: 0 });
    document = JSON.parse(readFileSync(out, 'utf8')) as OpenAPIObject;
  }, 30_000);

  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('is valid OpenAPI 3', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('every API operation has its own MES method name (the operationId)', () => {
    assertEveryOperationHasUniqueMesMethod(document, { pathPrefix: '/mesmw/api' });
  });

  it('contains no excluded method', () => {
    const excluded = new Set(builtInExclusions().methods.map((m) => m.method.toLowerCase()));
    const present = Object.values(document.paths)
      .flatMap((item) => Object.values(item) as Array<{ operationId?: string }>)
      .map((op) => op.operationId ?? '')
      .filter((id) => excluded.has(id.toLowerCase()));
    expect(present).toEqual([]);
    expect(
      Array.isArray((document as unknown as Record<string, unknown>)[EXCLUDED_EXTENSION] ?? []),
    ).toBe(true);
  });

  it('routes are under /mesmw and the AIM schemes are declared', () => {
    for (const path of Object.keys(document.paths)) expect(path).toMatch(/^\/mesmw\//);
    expect(Object.keys(document.components?.securitySchemes ?? {}).sort()).toEqual([
      'aim',
      'bearer',
    ]);
    expect(stderr.join('\n')).not.toContain('never-printed');
  });
});
