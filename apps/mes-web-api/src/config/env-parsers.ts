/** Thrown at start-up for a bad environment variable; its message is one line that says what to fix. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function fail(name: string, value: string, expected: string, secret = false): never {
  const shown = secret ? '(hidden)' : JSON.stringify(value);
  throw new ConfigError(`Invalid ${name}=${shown}: expected ${expected}.`);
}

export function str(env: Env, name: string, fallback: string): string;
export function str(env: Env, name: string): string | undefined;
export function str(env: Env, name: string, fallback?: string): string | undefined {
  return raw(env, name) ?? fallback;
}

export function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) fail(name, value, `an integer from ${min} to ${max}`);
  const n = Number(value);
  if (n < min || n > max) fail(name, value, `an integer from ${min} to ${max}`);
  return n;
}

export function bool(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const v = value.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return fail(name, value, 'true or false');
}

export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!match) fail(name, value, `one of ${allowed.join(', ')}`);
  return match;
}

export function list(env: Env, name: string, fallback: readonly string[]): string[] {
  const value = raw(env, name);
  if (value === undefined) return [...fallback];
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) fail(name, value, 'a comma-separated list with at least one value');
  return items;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** An issuer URL: https, or http on a loopback host only; no query, fragment or credentials. */
export function issuerUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(name, value, 'absolute issuer URLs such as https://sms1/identitymanager');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    fail(name, value, 'https URLs (plain http is allowed only for loopback hosts)');
  }
  if (url.search || url.hash || url.username || url.password) {
    fail(name, value, 'an issuer URL without query, fragment or credentials');
  }
  return value.replace(/\/+$/, '');
}

export function redisUrl(env: Env, name: string): string | undefined {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(name, value, 'a URL such as redis://127.0.0.1:6379', true);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    fail(name, value, 'a redis:// or rediss:// URL', true);
  }
  return value;
}
