#!/usr/bin/env node
// Prints an access token from the development authority (or another authority with the same
// login form) on stdout, and nothing else, so that
//   TOKEN=$(npm run -s token -- --user 'mes\operator')
// works. Errors go to stderr with exit code 1; secrets are never printed.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const {
  getClientToken,
  getClientTokenResponse,
  getUserToken,
  getUserTokenResponse,
} = require('./dev-token-flows.js');

const HELP = `Usage:
  npm run -s token -- --user <user_id> [--password <pw>] [--client <public_client_id>]
  npm run -s token -- --client <client_id> --secret <secret> [--scope system]

Prints an access token on stdout.
  --user <user_id>     log a user in through the authority's real login flow
                       (authorization code + PKCE), e.g. 'mes\\operator'
  --password <pw>      default: the part of the user id after the backslash
  --client <id>        with --secret: the client-credentials grant for this client;
                       with --user: the public client to log in with (default mes-cli)
  --redirect-uri <uri> with --user: a redirect URI registered for that client
                       (default http://127.0.0.1/callback, never actually called)
  --secret <secret>    client secret (client-credentials grant)
  --scope <scope>      requested scope (default: system; user logins: openid profile system)
  --issuer <url>       authority issuer URL
                       (default http://127.0.0.1:\${AIM_DEV_PORT:-5000}/identitymanager)
  --json               print the whole token response as JSON instead of the token
  --help               this text

Demo (development authority): users mes\\operator, mes\\supervisor, mes\\former;
client mes-scheduler / dev-scheduler-secret.`;

function die(message) {
  process.stderr.write(`token: ${message}\n`);
  process.exit(1);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      user: { type: 'string' },
      password: { type: 'string' },
      client: { type: 'string' },
      'redirect-uri': { type: 'string' },
      secret: { type: 'string' },
      scope: { type: 'string' },
      issuer: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (err) {
  die(`${err.message}\n\n${HELP}`);
}

if (values.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

const issuer =
  values.issuer ?? `http://127.0.0.1:${process.env.AIM_DEV_PORT || 5000}/identitymanager`;

async function run() {
  if (values.user !== undefined && values.secret !== undefined) {
    throw new Error('use either --user or --client with --secret, not both');
  }
  if (values.user !== undefined) {
    const opts = { issuer, username: values.user, password: values.password };
    if (values.client) opts.clientId = values.client;
    if (values['redirect-uri']) opts.redirectUri = values['redirect-uri'];
    if (values.scope) opts.scope = values.scope;
    return values.json ? getUserTokenResponse(opts) : getUserToken(opts);
  }
  if (values.client !== undefined) {
    if (!values.secret) throw new Error('--client needs --secret (client-credentials grant)');
    const opts = {
      issuer,
      clientId: values.client,
      clientSecret: values.secret,
      scope: values.scope ?? 'system',
    };
    return values.json ? getClientTokenResponse(opts) : getClientToken(opts);
  }
  throw new Error(`give --user <user_id> or --client <id> --secret <secret>\n\n${HELP}`);
}

run()
  .then((result) => {
    if (!values.json && typeof result !== 'string')
      throw new Error('the authority returned no access token');
    process.stdout.write(`${values.json ? JSON.stringify(result, null, 2) : result}\n`);
  })
  .catch((err) => die(err?.message ?? String(err)));
