import { INestApplication } from '@nestjs/common';
import { OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { DEFAULT_OAUTH_SCOPES } from '../mes-swagger.constants';

export interface MesSwaggerUiOptions {
  /** Where the UI is served. Default `mesmw/swagger`. */
  path?: string;
  /** Where the JSON document is served. Default `mesmw/swagger/json`. */
  jsonPath?: string;
  /** Where the YAML document is served. Default `mesmw/swagger/yaml`. */
  yamlPath?: string;
  /** Public AIM client Swagger UI logs in with. Default `mes-swagger-ui`. */
  oauthClientId?: string;
  /** Authorization code with PKCE (no client secret in the browser). Default true. */
  usePkce?: boolean;
  /** Scopes requested at login. Default openid, profile, system. */
  scopes?: readonly string[];
  /** Browser tab title. Default: the document's title. */
  title?: string;
  /** Prepend the app's global prefix to the paths. Default false. */
  useGlobalPrefix?: boolean;
}

/** The paths the UI ended up on (leading slash), useful for a start-up banner. */
export interface MesSwaggerUiPaths {
  ui: string;
  json: string;
  yaml: string;
  oauth2Redirect: string;
}

/**
 * Serves Swagger UI, with its assets from the bundled swagger-ui-dist (offline), plus the
 * document as JSON and YAML. Login is OAuth2 authorization code + PKCE against AIM with a
 * public client; the redirect page is `<path>/oauth2-redirect.html`, which must be registered
 * as a redirect URI of that client. On fastify it needs `@fastify/static`. These routes are
 * registered on the HTTP adapter, outside Nest's router, so global guards do not apply.
 * `<path>` without a trailing slash redirects to `<path>/` (fastify), so the redirect URI Swagger UI
 * sends is always `<path>/oauth2-redirect.html`. Call it before `app.listen()`.
 */
export function setupMesSwaggerUi(
  app: INestApplication,
  document: OpenAPIObject,
  options: MesSwaggerUiOptions = {},
): MesSwaggerUiPaths {
  const path = trimSlashes(options.path ?? 'mesmw/swagger');
  const jsonPath = trimSlashes(options.jsonPath ?? 'mesmw/swagger/json');
  const yamlPath = trimSlashes(options.yamlPath ?? 'mesmw/swagger/yaml');
  const prefix = options.useGlobalPrefix ? trimSlashes(globalPrefix(app)) : '';
  const full = (p: string): string => `/${[prefix, p].filter(Boolean).join('/')}`;
  redirectToTrailingSlash(app, full(path));
  SwaggerModule.setup(path, app, document, {
    useGlobalPrefix: options.useGlobalPrefix ?? false,
    jsonDocumentUrl: jsonPath,
    yamlDocumentUrl: yamlPath,
    raw: ['json', 'yaml'],
    customSiteTitle: options.title ?? document.info.title,
    swaggerOptions: {
      persistAuthorization: true,
      displayOperationId: true,
      initOAuth: {
        clientId: options.oauthClientId ?? 'mes-swagger-ui',
        usePkceWithAuthorizationCodeGrant: options.usePkce ?? true,
        scopes: [...(options.scopes ?? DEFAULT_OAUTH_SCOPES)],
      },
    },
  });
  return {
    ui: full(path),
    json: full(jsonPath),
    yaml: full(yamlPath),
    oauth2Redirect: `${full(path)}/oauth2-redirect.html`,
  };
}

/**
 * Swagger UI derives its OAuth2 redirect URI from the page address: `<dir of the page>/oauth2-redirect.html`.
 * On `/mesmw/swagger` that would be `/mesmw/oauth2-redirect.html`, which does not exist, so the
 * bare path is redirected to `/mesmw/swagger/` (the query string is kept). On fastify only, the
 * handler of the UI page route is wrapped as the route is registered (an `onRoute` hook), so
 * no other request pays for the check. Must run before `SwaggerModule.setup`.
 */
function redirectToTrailingSlash(app: INestApplication, ui: string): void {
  const adapter = app.getHttpAdapter();
  if (adapter.getType() !== 'fastify') return;
  const lower = ui.toLowerCase();
  (adapter.getInstance() as FastifyInstance).addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.url.toLowerCase() !== lower || !methods.includes('GET')) return;
    const page = route.handler;
    route.handler = function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      const url = request.url;
      const q = url.indexOf('?');
      if ((q === -1 ? url : url.slice(0, q)).endsWith('/')) return page.call(this, request, reply);
      return reply.redirect(`${ui}/${q === -1 ? '' : url.slice(q)}`, 301);
    };
  });
}

function trimSlashes(p: string): string {
  return p.replace(/^\/+|\/+$/g, '');
}

function globalPrefix(app: INestApplication): string {
  const config = (app as unknown as { config?: { getGlobalPrefix?(): string } }).config;
  return config?.getGlobalPrefix?.() ?? '';
}
