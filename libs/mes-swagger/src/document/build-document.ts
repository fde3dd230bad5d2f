import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AIM_SECURITY_SCHEME, BEARER_SECURITY_SCHEME } from '../mes-swagger.constants';
import { compare } from '../exclusions/exclusions';
import { forEachOperation } from './openapi-walk';
import { canonicalDocument } from './stable-stringify';

/** The AIM token authority shown in the document's OAuth2 scheme. */
export interface MesSwaggerAuthority {
  /** Issuer URL, e.g. `https://sms1/identitymanager`. */
  issuer: string;
  /** Client Swagger UI logs in with (shown in the scheme's description). */
  clientId?: string;
  /** Defaults to `<issuer>/connect/authorize`, as AIM has it. */
  authorizationUrl?: string;
  /** Defaults to `<issuer>/connect/token`, as AIM has it. */
  tokenUrl?: string;
}

export interface MesSwaggerDocumentOptions {
  title: string;
  version: string;
  description?: string;
  /** Without an authority the document has only the `bearer` scheme (no OAuth2 login). */
  authority?: MesSwaggerAuthority;
  /** Base URL of the API, e.g. `https://mes1/` (added as the only server). */
  serverUrl?: string;
  /** OAuth2 scopes offered by the `aim` scheme; defaults to openid, profile and system. */
  scopes?: Record<string, string>;
  /**
   * Changes the built document before exclusions apply, e.g. to add component schemas and the
   * MiddlewareAccess operations of an MES method registry (`mesMethodsDocument` of mes-methods).
   */
  extend?: (document: OpenAPIObject) => void;
}

const DEFAULT_SCOPES: Record<string, string> = {
  openid: 'Sign in (OpenID Connect)',
  profile: 'User name and profile claims',
  system: 'Call the MES Web API',
};

/**
 * Builds the full Swagger (OpenAPI 3) document of a Nest app, with the `bearer` (JWT) and
 * `aim` (OAuth2 authorization code; PKCE is done by Swagger UI) security schemes, a top-level
 * tag for every operation tag, and keys in canonical order. Works on an app created with
 * `{ preview: true }` (no provider is instantiated, so no database is needed). Nothing is
 * excluded yet: pass the result to `filterExcludedOperations`.
 */
export function buildMesSwaggerDocument(
  app: INestApplication,
  options: MesSwaggerDocumentOptions,
): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(options.title)
    .setVersion(options.version)
    .setDescription(options.description ?? '')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'An AIM access token (user token, or client-credentials token with scope "system").',
      },
      BEARER_SECURITY_SCHEME,
    );
  const authority = options.authority;
  if (authority) {
    const issuer = authority.issuer.replace(/\/+$/, '');
    builder.addOAuth2(
      {
        type: 'oauth2',
        description: `AIM login (authorization code + PKCE) at ${issuer}${authority.clientId ? `, client "${authority.clientId}"` : ''}.`,
        flows: {
          authorizationCode: {
            authorizationUrl: authority.authorizationUrl ?? `${issuer}/connect/authorize`,
            tokenUrl: authority.tokenUrl ?? `${issuer}/connect/token`,
            scopes: options.scopes ?? DEFAULT_SCOPES,
          },
        },
      },
      AIM_SECURITY_SCHEME,
    );
  }
  if (options.serverUrl) builder.addServer(options.serverUrl);

  const document = SwaggerModule.createDocument(app, builder.build());
  options.extend?.(document);

  const used = new Set<string>();
  forEachOperation(document, (_path, _verb, operation) => {
    if (!authority && operation.security) {
      operation.security = operation.security.filter((req) => !(AIM_SECURITY_SCHEME in req));
    }
    for (const tag of operation.tags ?? []) used.add(tag);
  });
  const tags = [...(document.tags ?? [])];
  for (const name of used) if (!tags.some((t) => t.name === name)) tags.push({ name });
  if (tags.length > 0) document.tags = tags.sort((a, b) => compare(a.name, b.name));

  return canonicalDocument(document);
}
