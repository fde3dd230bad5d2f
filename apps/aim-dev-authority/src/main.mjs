#!/usr/bin/env node
// MES development token authority: a real OpenID provider (oidc-provider) standing in for
// AVEVA Identity Manager (AIM) on a developer machine and in the tests. DEVELOPMENT ONLY.
//
//   node apps/aim-dev-authority/src/main.mjs [--port <n>] [--rotate-key] [--help]
//
// Environment: AIM_DEV_PORT (5000; 0 = any free port), AIM_DEV_KEY_FILE
// (./data/dev-authority/jwks.json), AIM_DEV_ROTATE_KEY=1, AIM_DEV_REDIRECT_URIS (comma-separated
// extra redirect URIs for the public clients), AIM_DEV_ACCESS_TOKEN_TTL_S (3600),
// AIM_DEV_SCOPE_FORMAT (`string`, as oidc-provider/RFC 9068, or `array`, as a real AIM token),
// AIM_DEV_EXIT_WITH_STDIN=1 (exit when stdin closes: used by test harnesses against orphans).
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { allowAnyLoopbackPort, buildConfiguration, MOUNT_PATH } from './config.mjs';
import { loadOrCreateKeys } from './keystore.mjs';
import { handleInteraction } from './login.mjs';

const HOST = '127.0.0.1';

const HELP = `MES development token authority (DEVELOPMENT ONLY)

Usage: node apps/aim-dev-authority/src/main.mjs [--port <n>] [--key-file <path>] [--rotate-key]

  --port <n>         port on 127.0.0.1 (env AIM_DEV_PORT, default 5000; 0 = any free port)
  --key-file <path>  signing key file (env AIM_DEV_KEY_FILE, default ./data/dev-authority/jwks.json)
  --rotate-key       add a new signing key; older keys stay published (env AIM_DEV_ROTATE_KEY=1)
  --help             this text

Issuer: http://127.0.0.1:<port>${MOUNT_PATH}
Clients: mes-scheduler / dev-scheduler-secret (client_credentials, scope system),
         mes-swagger-ui and mes-cli (public, authorization code + PKCE).
Users:   mes\\operator, mes\\supervisor, mes\\former; OS Group demo: mes\\adnewcomer,
         mes\\adsupervisor, mes\\adstranger (password = the part after the backslash).
`;

function fail(message) {
  process.stderr.write(`aim-dev-authority: ${message}\n`);
  process.exit(1);
}

function readOptions() {
  let args;
  try {
    ({ values: args } = parseArgs({
      options: {
        port: { type: 'string' },
        'key-file': { type: 'string' },
        'rotate-key': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    fail(`${err.message}\n\n${HELP}`);
  }
  if (args.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const env = process.env;
  const port = Number(args.port ?? env.AIM_DEV_PORT ?? 5000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`invalid port "${args.port ?? env.AIM_DEV_PORT}"`);
  const accessTokenTtl = Number(env.AIM_DEV_ACCESS_TOKEN_TTL_S ?? 3600);
  if (!Number.isInteger(accessTokenTtl) || accessTokenTtl < 1)
    fail('AIM_DEV_ACCESS_TOKEN_TTL_S must be a positive integer');
  const scopeFormat = env.AIM_DEV_SCOPE_FORMAT ?? 'string';
  if (scopeFormat !== 'string' && scopeFormat !== 'array')
    fail('AIM_DEV_SCOPE_FORMAT must be "string" or "array"');
  const redirectUris = (env.AIM_DEV_REDIRECT_URIS ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const uri of redirectUris) {
    if (!URL.canParse(uri)) fail(`AIM_DEV_REDIRECT_URIS: "${uri}" is not an absolute URL`);
  }
  return {
    port,
    keyFile: resolve(args['key-file'] ?? env.AIM_DEV_KEY_FILE ?? './data/dev-authority/jwks.json'),
    rotateKey:
      Boolean(args['rotate-key']) ||
      ['1', 'true', 'yes'].includes(String(env.AIM_DEV_ROTATE_KEY ?? '').toLowerCase()),
    redirectUris,
    accessTokenTtl,
    scopeFormat,
    exitWithStdin: env.AIM_DEV_EXIT_WITH_STDIN === '1',
  };
}

/**
 * oidc-provider 9 asks for Node 22 LTS and prints "Unsupported runtime" on Node 20 when it is
 * imported. It is verified to work on this project's Node 20.20 (see NOTES.md), so only that one
 * import-time warning is filtered; every other warning of the library still shows.
 */
async function importOidcProvider() {
  const warn = console.warn;
  console.warn = (...args) => {
    if (typeof args[0] === 'string' && args[0].includes('Unsupported runtime')) return;
    warn(...args);
  };
  try {
    return await import('oidc-provider');
  } finally {
    console.warn = warn;
  }
}

function listen(server, port) {
  return new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, HOST, () => {
      server.off('error', rejectListen);
      resolveListen(server.address().port);
    });
  });
}

/** `/identitymanager`, `/identitymanager/...` or `/identitymanager?...` → the path inside the issuer. */
function innerPath(url) {
  if (!url.startsWith(MOUNT_PATH)) return undefined;
  const rest = url.slice(MOUNT_PATH.length);
  if (rest === '' || rest.startsWith('/') || rest.startsWith('?'))
    return rest.startsWith('/') ? rest : `/${rest}`;
  return undefined;
}

function banner(issuer, keyFile, keys) {
  const line = '='.repeat(72);
  return [
    line,
    '  MES DEVELOPMENT TOKEN AUTHORITY -- DEVELOPMENT ONLY, NEVER USE IN PRODUCTION',
    '  Public demo users, a public client secret and unprotected signing keys.',
    line,
    `  issuer:    ${issuer}`,
    `  discovery: ${issuer}/.well-known/openid-configuration`,
    `  keys:      ${keyFile} (${keys.created ? 'created' : keys.rotated ? 'rotated' : 'reused'}, signing kid ${keys.keys[0].kid})`,
    '  clients:   mes-scheduler (client_credentials, scope system), mes-swagger-ui, mes-cli (code + PKCE)',
    '  users:     mes\\operator, mes\\supervisor, mes\\former (password = the part after the backslash)',
    '  os-group:  mes\\adnewcomer, mes\\adsupervisor, mes\\adstranger (AD users only; MES_SECURITY_MODE=os-group)',
    "  token:     npm run token -- --user 'mes\\operator'",
    line,
    '',
  ].join('\n');
}

async function main() {
  const options = readOptions();

  let keys;
  try {
    keys = loadOrCreateKeys(options.keyFile, { rotate: options.rotateKey });
  } catch (err) {
    fail(err.message);
  }

  // Listen first, so that port 0 works and the issuer names the real port.
  let handler = (_req, res) => {
    res.statusCode = 503;
    res.end('starting');
  };
  const server = createServer((req, res) => handler(req, res));
  server.keepAliveTimeout = 5000;
  let port;
  try {
    port = await listen(server, options.port);
  } catch (err) {
    if (err.code === 'EADDRINUSE') {
      fail(
        `port ${options.port} on ${HOST} is already in use: is a development authority already running? Set AIM_DEV_PORT to use another port.`,
      );
    }
    fail(`cannot listen on ${HOST}:${options.port}: ${err.message}`);
  }
  const issuer = `http://${HOST}:${port}${MOUNT_PATH}`;

  const { default: Provider, errors } = await importOidcProvider();
  const provider = new Provider(
    issuer,
    buildConfiguration({
      keys: keys.keys,
      cookieKeys: keys.cookieKeys,
      redirectUris: options.redirectUris,
      accessTokenTtl: options.accessTokenTtl,
      scopeFormat: options.scopeFormat,
      errors,
    }),
  );
  allowAnyLoopbackPort(provider);
  // Errors are logged by name and description only (never parameters, codes or secrets).
  const logError = (_ctx, err) =>
    process.stderr.write(
      `aim-dev-authority: ${err.name}: ${err.error_description ?? err.message}\n`,
    );
  for (const event of ['grant.error', 'server_error', 'authorization.error', 'interaction.error'])
    provider.on(event, logError);
  const callback = provider.callback();

  handler = (req, res) => {
    const inner = innerPath(req.url ?? '/');
    if (inner === undefined) {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(
        `MES development token authority. Discovery: ${issuer}/.well-known/openid-configuration\n`,
      );
      return;
    }
    const pathname = inner.split('?')[0];
    handleInteraction(provider, req, res, pathname)
      .then((handled) => {
        if (handled) return;
        // Mount the provider under the issuer path: it derives its URLs from originalUrl.
        req.originalUrl = req.url;
        req.url = inner;
        callback(req, res);
      })
      .catch((err) => {
        process.stderr.write(
          `aim-dev-authority: ${err.name ?? 'Error'} while handling ${pathname}\n`,
        );
        if (!res.headersSent) {
          res.statusCode = err.status ?? 500;
          res.end();
        }
      });
  };

  process.stdout.write(banner(issuer, options.keyFile, keys));
  process.stdout.write(`aim-dev-authority ready: ${issuer}\n`);

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`aim-dev-authority: ${signal}, stopping\n`);
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, 2000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (options.exitWithStdin) {
    // Started by a test harness: stop when the parent goes away (its pipe to our stdin closes).
    process.stdin.on('close', () => stop('stdin closed'));
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.resume();
  }
}

main().catch((err) => fail(err?.message ?? String(err)));
