import { CanActivate, Injectable, Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { OpenAPIObject } from '@nestjs/swagger';
import {
  builtInExclusions,
  filterExcludedOperations,
  setupMesSwaggerUi,
  stableStringify,
} from '@mes-web-api/mes-swagger';
import { buildFixtureDocument } from '../../libs/mes-swagger/src/__fixtures__/build-fixture-document';
import { FixtureApiModule } from '../../libs/mes-swagger/src/__fixtures__/fixture-api.module';

// @fastify/static requires content-disposition 3, which is ESM only: jest.config.js has ts-jest
// turn it into CommonJS, so the real module runs here as it does under plain node.

/** Fail-closed global guard, like the real app's: every Nest route is refused. */
@Injectable()
class DenyAllGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Module({
  imports: [FixtureApiModule],
  providers: [{ provide: APP_GUARD, useClass: DenyAllGuard }],
})
class GuardedFixtureModule {}

describe('Swagger UI on fastify (offline assets, OAuth2 + PKCE, outside the global guard)', () => {
  let app: NestFastifyApplication;
  let base: string;
  let document: OpenAPIObject;
  let paths: ReturnType<typeof setupMesSwaggerUi>;

  beforeAll(async () => {
    document = filterExcludedOperations(await buildFixtureDocument(), builtInExclusions()).document;
    // Same router options as the real app (case-insensitive, trailing slash ignored).
    const adapter = new FastifyAdapter({
      routerOptions: { caseSensitive: false, ignoreTrailingSlash: true },
    } as ConstructorParameters<typeof FastifyAdapter>[0]);
    app = await NestFactory.create<NestFastifyApplication>(GuardedFixtureModule, adapter, {
      logger: false,
    });
    paths = setupMesSwaggerUi(app, document);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await app.close();
  });

  const get = (path: string) => fetch(new URL(path, base), { redirect: 'manual' });

  it('reports where it is served', () => {
    expect(paths).toEqual({
      ui: '/mesmw/swagger',
      json: '/mesmw/swagger/json',
      yaml: '/mesmw/swagger/yaml',
      oauth2Redirect: '/mesmw/swagger/oauth2-redirect.html',
    });
  });

  it('the global guard really is active on API routes', async () => {
    expect((await get('/mesmw/api/v3/item')).status).toBe(403);
  });

  it.each(['/mesmw/swagger', '/MESMW/Swagger', '/mesmw/swagger?x=1'])(
    'redirects %s to the trailing-slash address, so the OAuth2 redirect URI is <ui>/oauth2-redirect.html',
    async (page) => {
      const res = await get(page);
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe(
        `/mesmw/swagger/${page.includes('?') ? '?x=1' : ''}`,
      );
    },
  );

  it('does not redirect anything else', async () => {
    expect((await get('/mesmw/swaggerx')).status).toBe(404);
    expect((await get('/mesmw/swagger/json')).status).toBe(200);
  });

  it.each(['/mesmw/swagger/', '/mesmw/swagger/index.html'])(
    'serves the UI page at %s and every asset it links, all from this server',
    async (page) => {
      const res = await get(page);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const html = await res.text();
      const links = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(
        (m) => new URL(m[1], new URL(page, base)),
      );
      expect(links.length).toBeGreaterThanOrEqual(4);
      for (const url of links) {
        expect(url.origin).toBe(base);
        const asset = await fetch(url);
        expect({ url: url.pathname, status: asset.status }).toEqual({
          url: url.pathname,
          status: 200,
        });
        await asset.arrayBuffer();
      }
      expect(links.map((u) => u.pathname)).toEqual(
        expect.arrayContaining([expect.stringMatching(/swagger-ui-bundle\.js$/)]),
      );
    },
  );

  it('configures OAuth2 login with the public client, PKCE and persisted authorization', async () => {
    const res = await get('/mesmw/swagger/swagger-ui-init.js');
    expect(res.status).toBe(200);
    const js = await res.text();
    expect(js).toContain('"clientId": "mes-swagger-ui"');
    expect(js).toContain('"usePkceWithAuthorizationCodeGrant": true');
    expect(js).toContain('"persistAuthorization": true');
    expect(js).toMatch(/"scopes": \[\s*"openid",\s*"profile",\s*"system"\s*\]/);
    expect(js).not.toMatch(/clientSecret/);
  });

  it('serves the filtered document as JSON and YAML', async () => {
    const json = await get('/mesmw/swagger/json');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toMatch(/application\/json/);
    const served = (await json.json()) as OpenAPIObject;
    expect(stableStringify(served)).toBe(stableStringify(document));
    expect(JSON.stringify(served)).not.toContain('"operationId":"FactMES.API.Prod.Item.Update"');
    const yaml = await get('/mesmw/swagger/yaml');
    expect(yaml.status).toBe(200);
    expect(await yaml.text()).toContain('operationId: FactMES.API.Core.Ent.GetAll');
  });

  it('serves the OAuth2 redirect page', async () => {
    const res = await get('/mesmw/swagger/oauth2-redirect.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('oauth2');
  });
});
