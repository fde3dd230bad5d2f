'use strict';
// Token flows against an OpenID provider (the development authority, or any authority with the
// same login form): client credentials, and the real authorization code + PKCE login of a user,
// scripted without a browser. CommonJS and global fetch only, so both Jest (CJS) and the
// `scripts/token.mjs` CLI can use it. Secrets (passwords, client secrets, codes, tokens) never
// appear in an error message.
const { createHash, randomBytes } = require('node:crypto');

const CLI_CLIENT_ID = 'mes-cli';
const CLI_REDIRECT_URI = 'http://127.0.0.1/callback';
const DEFAULT_USER_SCOPE = 'openid profile system';
const MAX_REDIRECTS = 10;
const REQUEST_TIMEOUT_MS = 10000;

class DevTokenError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'DevTokenError';
  }
}

function trimIssuer(issuer) {
  if (typeof issuer !== 'string' || !URL.canParse(issuer)) {
    throw new DevTokenError(`Invalid issuer URL "${String(issuer)}"`);
  }
  return issuer.replace(/\/+$/, '');
}

async function request(issuer, url, init = {}) {
  try {
    return await fetch(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      ...init,
    });
  } catch (err) {
    const reason =
      err && err.cause && err.cause.code
        ? ` (${err.cause.code})`
        : err && err.name === 'TimeoutError'
          ? ' (timeout)'
          : '';
    throw new DevTokenError(
      `Cannot reach the development authority at ${issuer}${reason}: is it running? Start it with npm start (or npm run start:authority).`,
    );
  }
}

const discoveryCache = new Map();

/** Fetches `<issuer>/.well-known/openid-configuration` (cached per issuer once it succeeded). */
async function discover(issuerUrl) {
  const issuer = trimIssuer(issuerUrl);
  const cached = discoveryCache.get(issuer);
  if (cached) return cached;
  const res = await request(issuer, `${issuer}/.well-known/openid-configuration`, {
    headers: { accept: 'application/json' },
  });
  if (!res.ok) {
    throw new DevTokenError(
      `Discovery failed at ${issuer}/.well-known/openid-configuration: HTTP ${res.status}`,
    );
  }
  const metadata = await res.json();
  if (metadata.issuer !== issuer || typeof metadata.token_endpoint !== 'string') {
    throw new DevTokenError(
      `Discovery document at ${issuer} names issuer "${metadata.issuer}"; expected "${issuer}"`,
    );
  }
  discoveryCache.set(issuer, metadata);
  return metadata;
}

async function tokenError(res, what) {
  let detail = `HTTP ${res.status}`;
  try {
    const body = await res.json();
    if (body && typeof body.error === 'string') {
      detail += `: ${body.error}${typeof body.error_description === 'string' ? ` (${body.error_description})` : ''}`;
    }
  } catch {
    // not JSON
  }
  return new DevTokenError(`${what} was refused: ${detail}`);
}

/** RFC 6749 2.3.1: form-encode the id and secret, then base64 the pair. */
function basicAuth(clientId, clientSecret) {
  const enc = (v) => encodeURIComponent(v).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64')}`;
}

/**
 * Client-credentials grant. Returns the token endpoint's JSON response.
 * @param {{ issuer: string, clientId: string, clientSecret: string, scope?: string, authMethod?: 'client_secret_basic' | 'client_secret_post' }} opts
 */
async function getClientTokenResponse({
  issuer,
  clientId,
  clientSecret,
  scope = 'system',
  authMethod = 'client_secret_basic',
}) {
  if (!clientId || !clientSecret)
    throw new DevTokenError('A client id and a client secret are required');
  const iss = trimIssuer(issuer);
  const { token_endpoint: tokenEndpoint } = await discover(iss);
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  if (scope) body.set('scope', scope);
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (authMethod === 'client_secret_post') {
    body.set('client_id', clientId);
    body.set('client_secret', clientSecret);
  } else {
    headers.authorization = basicAuth(clientId, clientSecret);
  }
  const res = await request(iss, tokenEndpoint, { method: 'POST', headers, body });
  if (!res.ok)
    throw await tokenError(res, `The client-credentials request of client "${clientId}"`);
  return res.json();
}

/** Client-credentials grant; resolves to the access token. */
async function getClientToken(opts) {
  return (await getClientTokenResponse(opts)).access_token;
}

/** A minimal cookie jar for one authority: name → value, with the cookie path respected. */
class CookieJar {
  constructor() {
    this.cookies = new Map();
  }

  store(res) {
    for (const header of res.headers.getSetCookie()) {
      const [pair, ...attrs] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = '/';
      let expired = value === '';
      for (const attr of attrs) {
        const [k, v = ''] = attr.split('=');
        const key = k.trim().toLowerCase();
        if (key === 'path') path = v.trim() || '/';
        if (key === 'max-age' && Number(v) <= 0) expired = true;
        if (key === 'expires' && Date.parse(v) <= Date.now()) expired = true;
      }
      const id = `${name};${path}`;
      if (expired) this.cookies.delete(id);
      else this.cookies.set(id, { name, value, path });
    }
  }

  header(url) {
    const { pathname } = new URL(url);
    const parts = [];
    for (const { name, value, path } of this.cookies.values()) {
      if (pathname === path || pathname.startsWith(path.endsWith('/') ? path : `${path}/`))
        parts.push(`${name}=${value}`);
    }
    return parts.join('; ');
  }
}

function sameEndpoint(a, b) {
  const x = new URL(a);
  const y = new URL(b);
  return (
    x.protocol === y.protocol &&
    x.hostname === y.hostname &&
    x.pathname === y.pathname &&
    (x.port === y.port || x.hostname === '127.0.0.1' || x.hostname === 'localhost')
  );
}

function unescapeHtml(text) {
  return text.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
}

function formAction(html, pageUrl) {
  const match = /<form[^>]*\baction="([^"]+)"/i.exec(html);
  const action = match ? match[1].replace(/&amp;/g, '&') : `${new URL(pageUrl).pathname}/login`;
  return new URL(action, pageUrl).href;
}

/**
 * Authorization code + PKCE login of a user, scripted: authorization request (S256), the
 * authority's login form, implied consent, then the code from the final redirect (the
 * redirect URI itself is never called) exchanged with the code verifier.
 * Returns the token endpoint's JSON response.
 * @param {{ issuer: string, username: string, password?: string, clientId?: string,
 *   redirectUri?: string, scope?: string }} opts  password defaults to the part after `\`.
 */
async function getUserTokenResponse({
  issuer,
  username,
  password,
  clientId = CLI_CLIENT_ID,
  redirectUri = CLI_REDIRECT_URI,
  scope = DEFAULT_USER_SCOPE,
}) {
  if (!username) throw new DevTokenError('A user name is required');
  const secret = password ?? username.slice(username.indexOf('\\') + 1);
  const iss = trimIssuer(issuer);
  const metadata = await discover(iss);
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorize = new URL(metadata.authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    login_hint: username,
  }).toString();

  const jar = new CookieJar();
  let url = authorize.href;
  let init = { method: 'GET' };
  let loggedIn = false;
  let code;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    const res = await request(iss, url, {
      ...init,
      headers: { ...init.headers, cookie: jar.header(url) },
    });
    jar.store(res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url).href;
      if (sameEndpoint(next, redirectUri)) {
        const params = new URL(next).searchParams;
        if (params.get('error')) {
          throw new DevTokenError(
            `The authorization request was refused: ${params.get('error')}${params.get('error_description') ? ` (${params.get('error_description')})` : ''}`,
          );
        }
        if (params.get('state') !== state)
          throw new DevTokenError('The authorization response carries a wrong state');
        if (params.has('iss') && params.get('iss') !== iss)
          throw new DevTokenError('The authorization response names another issuer');
        code = params.get('code');
        break;
      }
      url = next;
      init = { method: 'GET' };
      continue;
    }
    if (res.status === 401 && loggedIn) {
      throw new DevTokenError(
        `Login of user "${username}" was refused: invalid user name or password`,
      );
    }
    const type = res.headers.get('content-type') ?? '';
    if (res.status === 200 && type.includes('text/html') && !loggedIn) {
      const html = await res.text();
      if (!/name="password"/.test(html)) break;
      loggedIn = true;
      url = formAction(html, url);
      init = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password: secret }).toString(),
      };
      continue;
    }
    let detail = '';
    if (type.includes('application/json')) {
      const body = await res.json().catch(() => ({}));
      if (typeof body.error === 'string')
        detail = `: ${body.error}${body.error_description ? ` (${body.error_description})` : ''}`;
    } else if (type.includes('text/html')) {
      const html = await res.text().catch(() => '');
      const error = /data-error="([^"]*)"/.exec(html);
      const description = /data-error-description="([^"]*)"/.exec(html);
      if (error)
        detail = `: ${unescapeHtml(error[1])}${description && description[1] ? ` (${unescapeHtml(description[1])})` : ''}`;
    }
    throw new DevTokenError(
      `Unexpected answer from the authority during the login of "${username}": HTTP ${res.status}${detail}`,
    );
  }
  if (!code)
    throw new DevTokenError(
      `The login flow of "${username}" did not end with an authorization code`,
    );

  const res = await request(iss, metadata.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      code_verifier: verifier,
    }),
  });
  if (!res.ok) throw await tokenError(res, `The code exchange for "${username}"`);
  return res.json();
}

/** User login (authorization code + PKCE); resolves to the access token. */
async function getUserToken(opts) {
  return (await getUserTokenResponse(opts)).access_token;
}

module.exports = {
  CLI_CLIENT_ID,
  CLI_REDIRECT_URI,
  DevTokenError,
  discover,
  getClientToken,
  getClientTokenResponse,
  getUserToken,
  getUserTokenResponse,
};
