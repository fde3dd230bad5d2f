// Persistent signing keys and cookie keys for the development authority.
//
// File format (JSON, mode 0600): { "keys": [<private RSA JWK>, ...], "cookieKeys": ["...", ...] }
// keys[0] signs new tokens; every key is published in the JWKS, so tokens signed before a
// rotation keep verifying. Development only: the private keys are stored in clear text.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Keep at most this many keys published (the newest first). */
const MAX_KEYS = 5;

/** RFC 7638 JWK thumbprint of an RSA key, used as its `kid`. */
function thumbprint(jwk) {
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

function generateSigningKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: thumbprint(jwk), use: 'sig', alg: 'RS256' };
}

function isRsaPrivateJwk(key) {
  return (
    Boolean(key) && key.kty === 'RSA' && typeof key.n === 'string' && typeof key.d === 'string'
  );
}

function readKeyFile(file) {
  let parsed;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(
      `Cannot read the development authority key file ${file} (${err.message}). Delete it to generate a new key.`,
    );
  }
  const keys = Array.isArray(parsed?.keys) ? parsed.keys.filter(isRsaPrivateJwk) : [];
  const cookieKeys = Array.isArray(parsed?.cookieKeys)
    ? parsed.cookieKeys.filter((k) => typeof k === 'string' && k.length >= 32)
    : [];
  if (keys.length === 0) {
    throw new Error(
      `The development authority key file ${file} holds no RSA private key. Delete it to generate a new key.`,
    );
  }
  return {
    keys: keys.map((k) => ({ ...k, kid: k.kid ?? thumbprint(k), use: 'sig', alg: 'RS256' })),
    cookieKeys,
  };
}

function writeKeyFile(file, content) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  try {
    chmodSync(file, 0o600);
  } catch {
    // best effort on file systems without POSIX modes
  }
}

/**
 * Loads the key file, creating it (and its directories) on first use.
 * With `rotate`, a new signing key is put first and the older ones stay published.
 * @returns {{ keys: object[], cookieKeys: string[], created: boolean, rotated: boolean }}
 */
export function loadOrCreateKeys(file, { rotate = false } = {}) {
  let content;
  let created = false;
  if (existsSync(file)) {
    content = readKeyFile(file);
  } else {
    content = { keys: [generateSigningKey()], cookieKeys: [] };
    created = true;
  }

  let changed = created;
  if (content.cookieKeys.length === 0) {
    content.cookieKeys = [randomBytes(32).toString('base64url')];
    changed = true;
  }
  if (rotate && !created) {
    content.keys = [generateSigningKey(), ...content.keys].slice(0, MAX_KEYS);
    changed = true;
  }
  if (changed) writeKeyFile(file, content);

  return {
    keys: content.keys,
    cookieKeys: content.cookieKeys,
    created,
    rotated: rotate && !created,
  };
}
