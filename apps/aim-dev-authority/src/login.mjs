// The interaction pages of the development authority: a tiny login form and implied consent.
// Routes (under the issuer path):
//   GET  /interaction/:uid         login form (or automatic consent for the dev clients)
//   POST /interaction/:uid/login   checks user name + password, then resumes the authorization
//   GET  /interaction/:uid/abort   cancels (the client receives error=access_denied)
import { DEMO_ACCOUNTS, authenticate, grantRequested, MOUNT_PATH } from './config.mjs';
import { escapeHtml, page, send } from './pages.mjs';

const MAX_FORM_BYTES = 16 * 1024;

function loginForm({ uid, clientId, login = '', error }) {
  const users = DEMO_ACCOUNTS.map((a) => `<code>${escapeHtml(a.id)}</code>`).join(', ');
  return page(
    'Sign in',
    `<h1>Sign in</h1>
<p><small>to <strong>${escapeHtml(clientId)}</strong></small></p>
${error ? `<p class="err" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${MOUNT_PATH}/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label>User name<input name="username" value="${escapeHtml(login)}" autofocus required></label>
<label>Password<input name="password" type="password" required></label>
<button type="submit">Sign in</button>
</form>
<p><small>Demo users: ${users}; the password is the part after the backslash.</small></p>
<p><small><a href="${MOUNT_PATH}/interaction/${escapeHtml(uid)}/abort">Cancel</a></small></p>`,
  );
}

async function readForm(req) {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw Object.assign(new Error('form too large'), { status: 413 });
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function details(provider, req, res) {
  try {
    return await provider.interactionDetails(req, res);
  } catch {
    send(
      res,
      400,
      page(
        'Sign-in expired',
        '<h1>Sign-in expired</h1><p>This sign-in page is no longer valid. Start again from the application.</p>',
      ),
    );
    return undefined;
  }
}

/** Consent is implied for the development clients: grant what was asked and resume. */
async function autoConsent(provider, req, res, interaction) {
  const { missingOIDCScope = [], missingResourceScopes = {} } = interaction.prompt.details;
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const resourceScopes = {};
  for (const [resource, scopes] of Object.entries(missingResourceScopes))
    resourceScopes[resource] = scopes.join(' ');
  const grant = await grantRequested(provider, {
    clientId: interaction.params.client_id,
    accountId: interaction.session.accountId,
    existing,
    oidcScopes: missingOIDCScope,
    resourceScopes,
  });
  await provider.interactionFinished(
    req,
    res,
    { consent: { grantId: grant.jti } },
    { mergeWithLastSubmission: true },
  );
}

/**
 * Handles /identitymanager/interaction/* requests. Returns false when the path is not an
 * interaction route.
 */
export async function handleInteraction(provider, req, res, pathname) {
  const match = /^\/interaction\/([A-Za-z0-9_-]{1,64})(\/login|\/abort)?$/.exec(pathname);
  if (!match) return false;
  const [, uid, action] = match;

  if (!action && req.method === 'GET') {
    const interaction = await details(provider, req, res);
    if (!interaction) return true;
    if (interaction.uid !== uid) {
      send(res, 400, page('Invalid request', '<h1>Invalid request</h1>'));
    } else if (interaction.prompt.name === 'consent') {
      await autoConsent(provider, req, res, interaction);
    } else {
      send(
        res,
        200,
        loginForm({
          uid,
          clientId: interaction.params.client_id,
          login: interaction.params.login_hint,
        }),
      );
    }
    return true;
  }

  if (action === '/login' && req.method === 'POST') {
    const interaction = await details(provider, req, res);
    if (!interaction) return true;
    const form = await readForm(req);
    const login = form.get('username') ?? '';
    const account =
      interaction.uid === uid && interaction.prompt.name === 'login'
        ? authenticate(login, form.get('password') ?? '')
        : undefined;
    if (!account) {
      send(
        res,
        401,
        loginForm({
          uid,
          clientId: interaction.params.client_id,
          login,
          error: 'Invalid user name or password.',
        }),
      );
      return true;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.id, amr: ['pwd'] } },
      { mergeWithLastSubmission: false },
    );
    return true;
  }

  if (action === '/abort' && req.method === 'GET') {
    if (!(await details(provider, req, res))) return true;
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The user cancelled the sign-in.' },
      { mergeWithLastSubmission: false },
    );
    return true;
  }

  res.statusCode = 405;
  res.setHeader('Allow', action === '/login' ? 'POST' : 'GET');
  res.end();
  return true;
}
