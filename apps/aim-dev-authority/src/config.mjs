// Accounts, clients and oidc-provider configuration of the development authority.
// DEVELOPMENT ONLY: the passwords and the client secret below are public demo values.
import { MemoryAdapter } from './memory-adapter.mjs';
import { renderError } from './pages.mjs';

export const MOUNT_PATH = '/identitymanager';

/** The one API resource, standing in for AIM's `system` audience. */
export const SYSTEM_RESOURCE = 'urn:aim:system';
export const SYSTEM_AUDIENCE = 'system';
export const SYSTEM_SCOPE = 'system';

/**
 * Fake Windows group SIDs, shaped like the `role` claim of a real AIM user token. The demo MES
 * database maps `operators` to the MES group "AD Operators" and `supervisors` to "AD Supervisors"
 * (`grp_name.sid`, OS Group security); `domainUsers` is no MES group.
 */
const SID_PREFIX = 'S-1-5-21-3623811015-3361044348-30300820';
export const GROUP_SIDS = Object.freeze({
  domainUsers: `${SID_PREFIX}-513`,
  operators: `${SID_PREFIX}-1101`,
  supervisors: `${SID_PREFIX}-1102`,
});

/** A role that is no SID, as a real AIM token carries next to the group SIDs. */
const AIM_ADMIN_ROLE = 'identitymanager.admin';

/**
 * Demo users that can log in. The MES decides who may use the API (mes\former is inactive in
 * the MES demo database but can still log in here, as with a real AIM). The password is the
 * part after the backslash. The `mes\ad…` users exist only in AD terms: in OS Group mode
 * (MES_SECURITY_MODE=os-group) their groups let them in and their MES user is created at the first
 * call; in OS User mode they are no MES users.
 */
export const DEMO_ACCOUNTS = Object.freeze([
  {
    id: 'mes\\operator',
    password: 'operator',
    roles: [GROUP_SIDS.domainUsers, GROUP_SIDS.operators],
  },
  {
    id: 'mes\\supervisor',
    password: 'supervisor',
    roles: [GROUP_SIDS.domainUsers, GROUP_SIDS.supervisors, AIM_ADMIN_ROLE],
  },
  {
    id: 'mes\\former',
    password: 'former',
    roles: [GROUP_SIDS.domainUsers, GROUP_SIDS.operators],
  },
  {
    id: 'mes\\adnewcomer',
    password: 'adnewcomer',
    roles: [GROUP_SIDS.domainUsers, GROUP_SIDS.operators],
  },
  {
    id: 'mes\\adsupervisor',
    password: 'adsupervisor',
    roles: [GROUP_SIDS.domainUsers, GROUP_SIDS.supervisors, AIM_ADMIN_ROLE],
  },
  {
    id: 'mes\\adstranger',
    password: 'adstranger',
    roles: [GROUP_SIDS.domainUsers, AIM_ADMIN_ROLE],
  },
]);

const DEFAULT_DOMAIN = 'mes';

/** `MES\Operator` and `operator` both name `mes\operator`. */
export function findDemoAccount(login) {
  if (typeof login !== 'string' || login.length === 0 || login.length > 200) return undefined;
  const wanted = (login.includes('\\') ? login : `${DEFAULT_DOMAIN}\\${login}`).toLowerCase();
  return DEMO_ACCOUNTS.find((a) => a.id === wanted);
}

/** Checks a login; returns the canonical account or undefined. */
export function authenticate(login, password) {
  const account = findDemoAccount(login);
  return account && typeof password === 'string' && password === account.password
    ? account
    : undefined;
}

function displayName(accountId) {
  return accountId.slice(accountId.indexOf('\\') + 1);
}

/** Claims every user access token carries (besides iss, aud, sub, client_id, scope, exp…). */
function userTokenClaims(account) {
  return {
    preferred_username: account.id,
    name: displayName(account.id),
    role: [...account.roles],
    amr: ['pwd'],
    idp: 'local',
  };
}

const SWAGGER_REDIRECT_URIS = [
  'http://127.0.0.1:3000/mesmw/swagger/oauth2-redirect.html',
  'http://localhost:3000/mesmw/swagger/oauth2-redirect.html',
];

/** The public client used by `npm run token` (its redirect URI is never actually called). */
export const CLI_CLIENT_ID = 'mes-cli';
export const CLI_REDIRECT_URI = 'http://127.0.0.1/callback';

export function buildClients(extraRedirectUris = []) {
  const swaggerRedirects = [...new Set([...SWAGGER_REDIRECT_URIS, ...extraRedirectUris])];
  return [
    {
      client_id: 'mes-scheduler',
      client_secret: 'dev-scheduler-secret',
      client_name: 'MES scheduler (service to service)',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic', // client_secret_post is accepted too
      scope: SYSTEM_SCOPE,
    },
    {
      client_id: 'mes-swagger-ui',
      client_name: 'MES Web API Swagger UI',
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: swaggerRedirects,
      scope: `openid profile ${SYSTEM_SCOPE}`,
    },
    {
      client_id: CLI_CLIENT_ID,
      client_name: 'MES token CLI',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [CLI_REDIRECT_URI], // loopback: any port matches (RFC 8252)
      scope: `openid profile ${SYSTEM_SCOPE}`,
    },
  ];
}

const FIRST_PARTY = new Set(['mes-swagger-ui', CLI_CLIENT_ID]);

/** `http://<loopback host>/<path>?<query>` without the port, or undefined for any other URI. */
function withoutLoopbackPort(uri) {
  const u = URL.parse(uri);
  if (!u || u.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
    return undefined;
  }
  return `http://${u.hostname}${u.pathname}${u.search}`;
}

/**
 * Swagger UI sends `http://<host>:<port>/mesmw/swagger/oauth2-redirect.html`, with the port the
 * API happens to listen on (3000 by default, any free port in the tests). For the Swagger UI
 * client a registered loopback redirect URI therefore matches on any port, as RFC 8252
 * section 7.3 asks for loopback redirects; host, path and query must still match exactly.
 */
export function allowAnyLoopbackPort(provider, clientIds = ['mes-swagger-ui']) {
  const clients = new Set(clientIds);
  const { redirectUriAllowed } = provider.Client.prototype;
  provider.Client.prototype.redirectUriAllowed = function redirectUriAllowedAnyPort(value) {
    if (redirectUriAllowed.call(this, value)) return true;
    if (!clients.has(this.clientId)) return false;
    const wanted = withoutLoopbackPort(value);
    return (
      wanted !== undefined && this.redirectUris.some((uri) => withoutLoopbackPort(uri) === wanted)
    );
  };
}

function isLoopbackOrigin(origin) {
  try {
    const { hostname, protocol } = new URL(origin);
    return (
      (protocol === 'http:' || protocol === 'https:') &&
      ['127.0.0.1', 'localhost', '[::1]'].includes(hostname)
    );
  } catch {
    return false;
  }
}

/**
 * Grants everything a first-party client asks for (consent is implied for the dev clients).
 * Exported for the interaction fallback.
 */
export async function grantRequested(
  provider,
  { clientId, accountId, existing, oidcScopes, resourceScopes },
) {
  let grant =
    existing && existing.accountId === accountId && existing.clientId === clientId
      ? existing
      : undefined;
  if (!grant) grant = new provider.Grant({ clientId, accountId });
  if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
  for (const [resource, scope] of Object.entries(resourceScopes)) {
    if (scope) grant.addResourceScope(resource, scope);
  }
  await grant.save();
  return grant;
}

/**
 * @param {{ issuer: string, keys: object[], cookieKeys: string[], redirectUris: string[],
 *   accessTokenTtl: number, scopeFormat: 'string' | 'array', errors: object }} opts
 */
export function buildConfiguration({
  keys,
  cookieKeys,
  redirectUris,
  accessTokenTtl,
  scopeFormat,
  errors,
}) {
  return {
    adapter: MemoryAdapter,
    clients: buildClients(redirectUris),
    jwks: { keys },
    cookies: { keys: cookieKeys },
    scopes: ['openid', 'profile', 'offline_access', SYSTEM_SCOPE],
    responseTypes: ['code'],
    // IdentityServer-style paths, as on a real AIM (`<issuer>/connect/token` …).
    routes: {
      authorization: '/connect/authorize',
      token: '/connect/token',
      jwks: '/.well-known/openid-configuration/jwks',
      userinfo: '/connect/userinfo',
      end_session: '/connect/endsession',
      revocation: '/connect/revocation',
      pushed_authorization_request: '/connect/par',
    },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    renderError,
    clientBasedCORS: (_ctx, origin, client) =>
      FIRST_PARTY.has(client.clientId) && isLoopbackOrigin(origin),

    async findAccount(_ctx, id) {
      const account = findDemoAccount(id);
      if (!account) return undefined;
      return {
        accountId: account.id,
        async claims() {
          return { sub: account.id, preferred_username: account.id, name: displayName(account.id) };
        },
      };
    },

    async loadExistingGrant(ctx) {
      const { client, session, account } = ctx.oidc;
      const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (!FIRST_PARTY.has(client.clientId) || !account) {
        return existing && existing.accountId === account?.accountId ? existing : undefined;
      }
      const resourceScopes = {};
      for (const [id, rs] of Object.entries(ctx.oidc.resourceServers ?? {}))
        resourceScopes[id] = rs.scope;
      return grantRequested(ctx.oidc.provider, {
        clientId: client.clientId,
        accountId: account.accountId,
        existing,
        oidcScopes: [...ctx.oidc.requestParamOIDCScopes],
        resourceScopes,
      });
    },

    async extraTokenClaims(_ctx, token) {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const account = findDemoAccount(token.accountId);
      return account ? userTokenClaims(account) : undefined;
    },

    formats: {
      customizers: {
        async jwt(_ctx, token, jwt) {
          // AIM's client-credentials tokens name no subject (no user); oidc-provider would put
          // the client id in `sub`, which a resource server could mistake for a user id.
          if (token.kind === 'ClientCredentials') delete jwt.payload.sub;
          if (scopeFormat === 'array' && typeof jwt.payload.scope === 'string') {
            jwt.payload.scope = jwt.payload.scope.split(' ').filter(Boolean);
          }
        },
      },
    },

    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // AIM-style requests name no resource: `grant_type=client_credentials&scope=system`.
        defaultResource: async (_ctx, _client, oneOf) => (oneOf ? oneOf[0] : SYSTEM_RESOURCE),
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resourceIndicator) => {
          if (resourceIndicator !== SYSTEM_RESOURCE) throw new errors.InvalidTarget();
          return {
            audience: SYSTEM_AUDIENCE,
            scope: SYSTEM_SCOPE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: accessTokenTtl,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },

    interactions: {
      url: async (_ctx, interaction) => `${MOUNT_PATH}/interaction/${interaction.uid}`,
    },

    ttl: {
      AccessToken: accessTokenTtl,
      ClientCredentials: accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Grant: 8 * 3600,
      Session: 8 * 3600,
      RefreshToken: 24 * 3600,
    },
  };
}
