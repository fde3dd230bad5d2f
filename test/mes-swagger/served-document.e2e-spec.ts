import SwaggerParser from '@apidevtools/swagger-parser';
import { OpenAPIObject } from '@nestjs/swagger';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  builtInExclusions,
  EXCLUDED_EXTENSION,
  listMesRoutes,
  MesRoute,
  stableStringify,
} from '@mes-web-api/mes-swagger';
import { createMesWebApi } from '../../apps/mes-web-api/src/bootstrap';
import { loadAppConfig } from '../../apps/mes-web-api/src/config/app-config';
import { ConfigError } from '../../apps/mes-web-api/src/config/env-parsers';
import { runSwaggerCli } from '../../apps/mes-web-api/src/swagger';
import { call, e2eIssuer, RunningApi, startApi } from '../support/api';
import { DEV_AUTHORITY, getUserToken } from '../support/dev-authority';
import { serviceToken, userToken } from '../support/tokens';

/** The shift methods implemented by the API and on the published "no web endpoint" list. */
const SHIFT_METHODS = [
  'FactMES.API.Core.ShiftPattern.Add',
  'FactMES.API.Core.ShiftPattern.GetAll',
  'FactMES.API.Core.ShiftPattern.Update',
  'FactMES.API.Core.ShiftSchedule.Add',
  'FactMES.API.Core.ShiftSchedule.Delete',
  'FactMES.API.Core.ShiftSchedule.GetAll',
  'FactMES.API.Core.ShiftSchedule.GetByKey',
  'FactMES.API.Core.ShiftSchedule.Update',
];

type Excluded = Array<{ method: string; reason: string; replacement?: string }>;

const operationIds = (doc: OpenAPIObject): string[] =>
  Object.values(doc.paths).flatMap((item) =>
    Object.values(item as Record<string, { operationId?: string }>).map(
      (op) => op.operationId ?? '',
    ),
  );
/** The MES method of every operation, in every form (its route and MiddlewareAccess). */
const documentedMethods = (doc: OpenAPIObject): string[] =>
  Object.values(doc.paths).flatMap((item) =>
    Object.values(item as Record<string, Record<string, unknown>>)
      .map((op) => op['x-mes-method'])
      .filter((m): m is string => typeof m === 'string')
      .map((m) => m.toLowerCase()),
  );
const middlewareAccessPaths = (doc: OpenAPIObject): string[] =>
  Object.keys(doc.paths)
    .filter((p) => p.startsWith('/mesmw/api/v3/MiddlewareAccess/'))
    .map((p) => p.slice('/mesmw/api/v3/MiddlewareAccess/'.length).toLowerCase());
const excludedOf = (doc: OpenAPIObject): Excluded =>
  ((doc as unknown as Record<string, unknown>)[EXCLUDED_EXTENSION] ?? []) as Excluded;

/** The Swagger file `npm run swagger` writes for the same environment. */
async function cliDocument(dir: string, env: Record<string, string>): Promise<string> {
  const out = join(dir, `cli-${Math.random().toString(36).slice(2)}.json`);
  const stderr: string[] = [];
  const code = await runSwaggerCli(['--out', out], {
    env,
    stdout: () => undefined,
    stderr: (l) => stderr.push(l),
  });
  expect({ code, stderr: stderr.filter((l) => !l.startsWith('note:')) }).toEqual({
    code: 0,
    stderr: [],
  });
  return readFileSync(out, 'utf8');
}

describe('Swagger UI and the Swagger file served by the running MES Web API', () => {
  let dir: string;
  let api: RunningApi;
  let served: OpenAPIObject;
  let servedText: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-served-swagger-'));
    api = await startApi();
    const res = await fetch(`${api.base}/swagger/json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    servedText = await res.text();
    served = JSON.parse(servedText) as OpenAPIObject;
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves exactly the document `npm run swagger` writes (same authority, no exclusion file)', async () => {
    const file = await cliDocument(dir, { AIM_AUTHORITY: e2eIssuer() });
    expect(stableStringify(served)).toBe(file);
  });

  it('is valid OpenAPI 3', async () => {
    await expect(SwaggerParser.validate(structuredClone(served) as never)).resolves.toBeDefined();
  });

  it('declares bearer and OAuth2 authorization code at the configured authority, client mes-swagger-ui', async () => {
    const discovery = (await (
      await fetch(`${e2eIssuer()}/.well-known/openid-configuration`)
    ).json()) as { authorization_endpoint: string; token_endpoint: string };
    const schemes = served.components?.securitySchemes as unknown as Record<
      string,
      Record<string, unknown>
    >;
    expect(schemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(schemes.aim).toMatchObject({
      type: 'oauth2',
      flows: {
        authorizationCode: {
          authorizationUrl: discovery.authorization_endpoint,
          tokenUrl: discovery.token_endpoint,
          scopes: expect.objectContaining({ system: expect.any(String) }),
        },
      },
    });
    expect(String(schemes.aim.description)).toContain('"mes-swagger-ui"');
    const init = await (await fetch(`${api.base}/swagger/swagger-ui-init.js`)).text();
    expect(init).toContain('"clientId": "mes-swagger-ui"');
    expect(init).toContain('"usePkceWithAuthorizationCodeGrant": true');
  });

  it('leaves out every excluded method, while the running API serves the shift routes', async () => {
    const ids = operationIds(served).map((id) => id.toLowerCase());
    const methods = documentedMethods(served);
    const viaMiddlewareAccess = middlewareAccessPaths(served);
    for (const m of builtInExclusions().methods) {
      const name = m.method.toLowerCase();
      expect(ids).not.toContain(name);
      // Gone in every form: the route and its MiddlewareAccess operation.
      expect(methods).not.toContain(name);
      expect(viaMiddlewareAccess).not.toContain(name.split('.').slice(-2).join('.'));
    }
    // The methods that stay have both forms.
    expect(viaMiddlewareAccess).toContain('ent.getbykey');
    expect(ids).toContain('factmes.api.core.ent.getbykey');
    expect(methods).toContain('factmes.api.core.ent.getbykey');

    const notes = excludedOf(served);
    for (const method of SHIFT_METHODS) {
      expect(notes).toContainEqual({ method, reason: 'no-web-endpoint' });
    }
    expect(Object.keys(served.paths).filter((p) => /shift/i.test(p))).toEqual([]);
    expect((served.tags ?? []).map((t) => t.name)).not.toContain('ShiftSchedule');

    const operator = await userToken('mes\\operator');
    const schedules = await call(`${api.base}/api/v3/shiftSchedule`, { token: operator });
    expect(schedules.status).toBe(200);
    expect(schedules.body.length).toBeGreaterThan(0);
    const patterns = await call(`${api.base}/api/v3/shiftPattern`, { token: operator });
    expect(patterns.status).toBe(200);
    const key = await call(`${api.base}/api/v3/shiftSchedule/key?shiftSchedId=1`, {
      token: operator,
    });
    expect(key.status).toBe(200);
  });

  it('documents every route of the app whose MES method is not excluded, and only those', () => {
    const excluded = new Set(builtInExclusions().methods.map((m) => m.method.toLowerCase()));
    const appRoutes = listMesRoutes(api.app).filter(
      (r) => r.path.toLowerCase().startsWith('/mesmw/api') && !r.generic,
    );
    expect(appRoutes.length).toBeGreaterThan(SHIFT_METHODS.length);
    const key = (r: MesRoute) =>
      `${r.verb.toUpperCase()} ${r.path.toLowerCase().replace(/\{([^}]+)\}/g, ':$1')} ${r.mesMethod}`;
    const docApiRoutes = listMesRoutes(served).filter(
      (r) => r.path.toLowerCase().startsWith('/mesmw/api') && !r.generic && !r.alternate,
    );
    const docRoutes = new Set(docApiRoutes.map(key));
    const expected = appRoutes.filter((r) => !excluded.has((r.mesMethod ?? '').toLowerCase()));
    expect(expected.map(key).filter((k) => !docRoutes.has(k))).toEqual([]);
    expect(docApiRoutes).toHaveLength(expected.length);
    const removed = appRoutes.filter((r) => excluded.has((r.mesMethod ?? '').toLowerCase()));
    expect(removed.map((r) => r.mesMethod)).toEqual(expect.arrayContaining(SHIFT_METHODS));
    expect(removed.map(key).filter((k) => docRoutes.has(k))).toEqual([]);
  });

  it('serves the UI (offline assets) and the YAML without a token; /mesmw/api stays protected', async () => {
    const bare = await fetch(`${api.base}/swagger`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/mesmw/swagger/');
    const page = await fetch(`${api.base}/swagger/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('swagger-ui-bundle.js');
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'oauth2-redirect.html']) {
      const res = await fetch(`${api.base}/swagger/${asset}`);
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
      await res.arrayBuffer();
    }
    const yaml = await fetch(`${api.base}/swagger/yaml`);
    expect(yaml.status).toBe(200);
    expect(await yaml.text()).toContain('operationId: FactMES.API.Core.SystemAttribute.GetAll');

    const noToken = await call(`${api.base}/api/v3/systemAttribute`);
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const shiftsNoToken = await call(`${api.base}/api/v3/shiftSchedule`);
    expect(shiftsNoToken.status).toBe(401);
    const service = await call(`${api.base}/api/v3/systemAttribute`, {
      token: await serviceToken(),
    });
    expect(service.status).toBe(200);
  });

  it('the dev authority accepts the redirect URI Swagger UI sends from this port, and no other path', async () => {
    const redirectUri = `${api.origin}/mesmw/swagger/oauth2-redirect.html`;
    const token = await getUserToken({
      issuer: e2eIssuer(),
      username: 'mes\\operator',
      clientId: DEV_AUTHORITY.swaggerClientId,
      redirectUri,
      scope: 'openid profile system',
    });
    const res = await call(`${api.base}/api/v3/systemAttribute/199`, { token });
    expect(res.status).toBe(200);
    await expect(
      getUserToken({
        issuer: e2eIssuer(),
        username: 'mes\\operator',
        clientId: DEV_AUTHORITY.swaggerClientId,
        redirectUri: `${api.origin}/mesmw/oauth2-redirect.html`,
      }),
    ).rejects.toThrow(/invalid_redirect_uri/);
    await expect(
      getUserToken({
        issuer: e2eIssuer(),
        username: 'mes\\operator',
        clientId: DEV_AUTHORITY.swaggerClientId,
        redirectUri: redirectUri.replace('http:', 'https:'),
      }),
    ).rejects.toThrow(/invalid_redirect_uri/);
  });

  describe('MES_SWAGGER_EXCLUDE_FILE (deployment extension and re-inclusion)', () => {
    let extended: RunningApi;
    let doc: OpenAPIObject;
    let env: Record<string, string>;

    beforeAll(async () => {
      const file = join(dir, 'site-exclusions.txt');
      writeFileSync(
        file,
        [
          '# site: designers must not change system attributes from a workflow',
          'FactMES.API.Core.SystemAttribute.SetValue',
          '# put the shift schedule reads back',
          '!FactMES.API.Core.ShiftSchedule.GetAll',
          '!FactMES.API.Core.shiftschedule.getbykey', // names match case-insensitively
          '',
        ].join('\n'),
      );
      env = { MES_SWAGGER_EXCLUDE_FILE: file };
      extended = await startApi({ env });
      doc = (await (await fetch(`${extended.base}/swagger/json`)).json()) as OpenAPIObject;
    });
    afterAll(() => extended.close());

    it('serves the document the CLI writes with the same file', async () => {
      const file = await cliDocument(dir, { AIM_AUTHORITY: e2eIssuer(), ...env });
      expect(stableStringify(doc)).toBe(file);
      await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    });

    it('removes the added method, puts the re-included ones back, keeps the other exclusions', async () => {
      const ids = operationIds(doc);
      expect(ids).not.toContain('FactMES.API.Core.SystemAttribute.SetValue');
      expect(ids).toContain('FactMES.API.Core.SystemAttribute.GetAll');
      expect(ids).toContain('FactMES.API.Core.ShiftSchedule.GetAll');
      expect(ids).toContain('FactMES.API.Core.ShiftSchedule.GetByKey');
      expect(ids).not.toContain('FactMES.API.Core.ShiftSchedule.Add');
      expect(ids).not.toContain('FactMES.API.Core.ShiftPattern.GetAll');
      const notes = excludedOf(doc);
      expect(notes).toContainEqual({
        method: 'FactMES.API.Core.SystemAttribute.SetValue',
        reason: 'deployment',
      });
      expect(notes.map((n) => n.method)).not.toContain('FactMES.API.Core.ShiftSchedule.GetAll');
      expect(Object.keys(doc.paths)).toContain('/mesmw/api/v3/shiftSchedule');
      // Every form follows the exclusion file: MiddlewareAccess too.
      const viaMiddlewareAccess = middlewareAccessPaths(doc);
      expect(viaMiddlewareAccess).not.toContain('systemattribute.setvalue');
      expect(viaMiddlewareAccess).toContain('shiftschedule.getall');
      expect(documentedMethods(doc)).not.toContain('factmes.api.core.systemattribute.setvalue');

      // The document changes, the API does not: the excluded route still works.
      const supervisor = await userToken('mes\\supervisor');
      const put = await call(`${extended.base}/api/v3/systemAttribute/100`, {
        method: 'PUT',
        token: supervisor,
        body: { attr_value: 'Demo Site' },
      });
      expect(put.status).toBe(200);
    });
  });

  it('a bad exclusion file stops the start-up with one line naming it (ConfigError)', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'FactMES.API.Core.Ent.GetAll\nnot a method\n');
    for (const [file, message] of [
      [bad, `Swagger exclusion file "${bad}": line 2: "not a method" is not an MES method name`],
      [join(dir, 'missing.json'), 'the file does not exist'],
    ]) {
      const config = loadAppConfig({
        PORT: '0',
        AIM_AUTHORITY: e2eIssuer(),
        DB_PATH: join(dir, 'never.sqlite'),
        MES_SWAGGER_EXCLUDE_FILE: file,
      });
      const attempt = createMesWebApi(config, { logger: false });
      await expect(attempt).rejects.toBeInstanceOf(ConfigError);
      await expect(attempt).rejects.toThrow(message);
    }
  });

  it('SWAGGER_UI_CLIENT_ID names the login client in the UI and in the file, as in the CLI', async () => {
    const env = { SWAGGER_UI_CLIENT_ID: 'mes-api-docs' };
    const other = await startApi({ env });
    try {
      const init = await (await fetch(`${other.base}/swagger/swagger-ui-init.js`)).text();
      expect(init).toContain('"clientId": "mes-api-docs"');
      const doc = (await (await fetch(`${other.base}/swagger/json`)).json()) as OpenAPIObject;
      expect(stableStringify(doc)).toBe(
        await cliDocument(dir, { AIM_AUTHORITY: e2eIssuer(), ...env }),
      );
      expect(JSON.stringify(doc.components?.securitySchemes)).toContain(
        'client \\"mes-api-docs\\"',
      );
    } finally {
      await other.close();
    }
    const errors: string[] = [];
    const code = await runSwaggerCli(['--out', join(dir, 'never.json')], {
      env: { SWAGGER_UI_CLIENT_ID: 'has space' },
      stdout: () => undefined,
      stderr: (l) => errors.push(l),
    });
    expect(code).toBe(1);
    expect(errors.join('\n')).toContain('Invalid SWAGGER_UI_CLIENT_ID="has space"');
  });

  it('SWAGGER_UI=false serves neither the UI nor the document; the API still answers', async () => {
    const off = await startApi({ env: { SWAGGER_UI: 'false' } });
    try {
      for (const path of [
        '/swagger',
        '/swagger/',
        '/swagger/json',
        '/swagger/yaml',
        '/swagger/swagger-ui-bundle.js',
      ]) {
        const res = await fetch(`${off.base}${path}`, { redirect: 'manual' });
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
        await res.arrayBuffer();
      }
      const res = await call(`${off.base}/api/v3/systemAttribute`, {
        token: await userToken('mes\\operator'),
      });
      expect(res.status).toBe(200);
    } finally {
      await off.close();
    }
  });
});
