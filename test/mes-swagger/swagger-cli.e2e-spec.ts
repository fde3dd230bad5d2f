import { Injectable, Module } from '@nestjs/common';
import { OpenAPIObject } from '@nestjs/swagger';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import SwaggerParser from '@apidevtools/swagger-parser';
import { generateSwaggerFile } from '@mes-web-api/mes-swagger';
import { runSwaggerCli } from '../../apps/mes-web-api/src/swagger';
import { FixtureApiModule } from '../../libs/mes-swagger/src/__fixtures__/fixture-api.module';

/** A provider that would fail if it were ever instantiated: proves preview mode needs no database. */
@Injectable()
class ExplodingDatabase {
  constructor() {
    throw new Error('the database must not be touched while generating the Swagger file');
  }
}

@Module({
  imports: [FixtureApiModule],
  providers: [ExplodingDatabase],
  exports: [ExplodingDatabase],
})
class FixtureWithDatabaseModule {}

interface Run {
  code: number;
  stdout: string[];
  stderr: string[];
}

describe('Swagger file CLI (npm run swagger)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mes-swagger-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(argv: string[], env: Record<string, string> = {}): Promise<Run> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runSwaggerCli(argv, {
      env,
      module: FixtureWithDatabaseModule,
      stdout: (l) => stdout.push(l),
      stderr: (l) => stderr.push(l),
    });
    return { code, stdout, stderr };
  }
  const ids = (doc: OpenAPIObject): string[] =>
    Object.values(doc.paths).flatMap((item) =>
      Object.values(item).map((op) => (op as { operationId: string }).operationId),
    );

  it('writes JSON, byte-identical on a second run, valid OpenAPI 3, without excluded methods', async () => {
    const out = join(dir, 'a', 'swagger.json');
    const first = await run(['--out', out]);
    expect(first.code).toBe(0);
    expect(first.stdout).toEqual([
      expect.stringMatching(
        /^Wrote .*swagger\.json \(json\): 5 operations, 4 excluded operations removed \(exclusion lists \d/,
      ),
    ]);
    expect(first.stderr).toEqual([
      expect.stringMatching(/^note: 38 listed excluded methods are not implemented by this API/),
    ]);
    const bytes = readFileSync(out);
    expect((await run(['--out', out])).code).toBe(0);
    expect(readFileSync(out).equals(bytes)).toBe(true);

    const doc = JSON.parse(bytes.toString('utf8')) as OpenAPIObject;
    expect(ids(doc)).not.toContain('FactMES.API.Prod.Item.Update');
    expect(ids(doc)).toContain('FactMES.API.Prod.Item.GetAll');
    expect(doc.info).toMatchObject({
      title: 'MES Web API',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    expect(
      (
        doc.components?.securitySchemes?.aim as {
          flows: { authorizationCode: { tokenUrl: string } };
        }
      ).flows.authorizationCode.tokenUrl,
    ).toBe('http://127.0.0.1:5000/identitymanager/connect/token');
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
  });

  it.each(['swagger.yaml', 'swagger.yml'])(
    'writes YAML (%s) deterministically, same content as the JSON',
    async (name) => {
      const yamlOut = join(dir, name);
      const jsonOut = join(dir, 'same.json');
      expect((await run(['--out', yamlOut])).code).toBe(0);
      const text = readFileSync(yamlOut, 'utf8');
      expect((await run(['--out', yamlOut])).code).toBe(0);
      expect(readFileSync(yamlOut, 'utf8')).toBe(text);
      expect(text.startsWith('openapi: 3.0.0\ninfo:')).toBe(true);
      expect((await run(['--out', jsonOut])).code).toBe(0);
      expect(parseYaml(text)).toEqual(JSON.parse(readFileSync(jsonOut, 'utf8')));
    },
  );

  it('applies --exclude-file (adds, re-includes, warns about names matching nothing)', async () => {
    const ext = join(dir, 'site.txt');
    writeFileSync(
      ext,
      '# site list\nFactMES.API.Core.Ent.GetByKey\nFactMES.API.Prod.Nothing.Here\n!FactMES.API.Prod.Item.Update\n',
    );
    const out = join(dir, 'site.json');
    const r = await run(['--out', out, '--exclude-file', ext]);
    expect(r.code).toBe(0);
    expect(r.stdout[0]).toContain(`+ ${ext}`);
    expect(r.stderr).toContainEqual(
      expect.stringContaining(
        'warning: FactMES.API.Prod.Nothing.Here (from the exclusion file) matches no operation',
      ),
    );
    const doc = JSON.parse(readFileSync(out, 'utf8')) as OpenAPIObject;
    expect(ids(doc)).toContain('FactMES.API.Prod.Item.Update');
    expect(ids(doc)).not.toContain('FactMES.API.Core.Ent.GetByKey');
  });

  it('reads MES_SWAGGER_EXCLUDE_FILE and AIM_AUTHORITY from the environment', async () => {
    const ext = join(dir, 'env.json');
    writeFileSync(ext, JSON.stringify({ exclude: ['FactMES.API.Prod.Item.Add'] }));
    const out = join(dir, 'env-out.json');
    const r = await run(['--out', out], {
      MES_SWAGGER_EXCLUDE_FILE: ext,
      AIM_AUTHORITY: 'https://sms1.example.com/identitymanager',
    });
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as OpenAPIObject;
    expect(ids(doc)).not.toContain('FactMES.API.Prod.Item.Add');
    expect(JSON.stringify(doc.components?.securitySchemes)).toContain(
      'https://sms1.example.com/identitymanager/connect/authorize',
    );
  });

  it.each<[string[], RegExp]>([
    [[], /--out <file> is required/],
    [['--out'], /argument missing|--out/],
    [['--bogus', '--out', 'x.json'], /Unknown option '--bogus'/],
    [['--out', 'x.json', 'extra'], /positional|extra/i],
    [['--out', 'swagger.txt'], /must end in \.json, \.yaml or \.yml/],
  ])('exits 1 with a clear message on bad arguments %j', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(1);
    expect(r.stderr.join('\n')).toMatch(message);
    expect(r.stdout).toEqual([]);
  });

  it('exits 1 naming the file on a bad exclusion file, and writes nothing', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'FactMES.API.Prod.Item.Update\nnot a method\n');
    const out = join(dir, 'never.json');
    const r = await run(['--out', out, '--exclude-file', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr.join('\n')).toContain(
      `Swagger exclusion file "${bad}": line 2: "not a method" is not an MES method name`,
    );
    expect(existsSync(out)).toBe(false);

    const missing = await run(['--out', out], {
      MES_SWAGGER_EXCLUDE_FILE: join(dir, 'missing.json'),
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr.join('\n')).toMatch(/missing\.json": the file does not exist/);
  });

  it('--help prints the usage', async () => {
    const r = await run(['--help']);
    expect(r).toEqual({
      code: 0,
      stdout: [expect.stringContaining('Usage: npm run swagger -- --out')],
      stderr: [],
    });
  });

  it('generateSwaggerFile reports what it did and applies a global prefix', async () => {
    const result = await generateSwaggerFile({
      module: FixtureApiModule,
      out: join(dir, 'lib.json'),
      excludeFile: null,
      globalPrefix: 'site',
      title: 't',
      version: '1',
    });
    expect(result).toMatchObject({ format: 'json', operations: 5, warnings: [] });
    expect(result.removed.map((r) => r.path)).toContain('/site/mesmw/api/v3/item');
    expect(result.unmatched.deployment).toEqual([]);
  });
});
