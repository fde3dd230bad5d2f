import {
  DEFAULT_BACKGROUND_USER_CACHE_TIMEOUT_MS,
  DEFAULT_BACKGROUND_USER_FAILURE_TTL_MS,
  DEFAULT_BACKGROUND_USER_REDIS_NAMESPACE,
  DEFAULT_BACKGROUND_USER_TTL_MS,
} from './background-user.constants';
import { BackgroundUserModuleOptions } from './interfaces/background-user-options.interface';

/** Options with every default filled in and every value checked. */
export interface ResolvedBackgroundUserOptions {
  readonly ttlMs: number;
  readonly failureTtlMs: number;
  readonly redisUrl?: string;
  readonly redisNamespace: string;
  readonly cacheTimeoutMs: number;
  readonly clock: () => number;
}

/** Fills in defaults; throws at startup, with what to set, on a bad value. */
export function resolveBackgroundUserOptions(
  options: BackgroundUserModuleOptions | undefined,
): ResolvedBackgroundUserOptions {
  const o = options ?? {};
  const ttlMs = o.ttlMs ?? DEFAULT_BACKGROUND_USER_TTL_MS;
  const failureTtlMs = o.failureTtlMs ?? Math.min(DEFAULT_BACKGROUND_USER_FAILURE_TTL_MS, ttlMs);
  const cacheTimeoutMs = o.cacheTimeoutMs ?? DEFAULT_BACKGROUND_USER_CACHE_TIMEOUT_MS;
  const redisNamespace = o.redisNamespace ?? DEFAULT_BACKGROUND_USER_REDIS_NAMESPACE;
  if (!Number.isInteger(ttlMs) || ttlMs < 1) {
    throw new Error(
      `BackgroundUserModule: ttlMs must be a positive whole number of milliseconds (got ${String(ttlMs)}); BACKGROUND_USER_TTL_S is in seconds, multiply it by 1000.`,
    );
  }
  if (!Number.isInteger(failureTtlMs) || failureTtlMs < 0 || failureTtlMs > ttlMs) {
    throw new Error(
      `BackgroundUserModule: failureTtlMs must be a whole number of milliseconds between 0 and ttlMs (got ${String(failureTtlMs)}).`,
    );
  }
  if (!Number.isInteger(cacheTimeoutMs) || cacheTimeoutMs < 1) {
    throw new Error(
      `BackgroundUserModule: cacheTimeoutMs must be a positive whole number of milliseconds (got ${String(cacheTimeoutMs)}).`,
    );
  }
  if (redisNamespace.trim() === '') {
    throw new Error('BackgroundUserModule: redisNamespace must not be empty.');
  }
  const redisUrl = o.redisUrl?.trim() ? o.redisUrl.trim() : undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\//i.test(redisUrl)) {
    // Never echo the URL: it may hold a password.
    throw new Error(
      'BackgroundUserModule: redisUrl (REDIS_URL) must start with redis:// or rediss://, e.g. redis://127.0.0.1:6379.',
    );
  }
  return {
    ttlMs,
    failureTtlMs,
    redisUrl,
    redisNamespace,
    cacheTimeoutMs,
    clock: o.clock ?? Date.now,
  };
}

/** `redis://user:secret@host` → `redis://***@host`, for anything that might reach a log. */
export function redactSecrets(text: string): string {
  return text.replace(/(rediss?:\/\/)[^@\s/]*@/gi, '$1***@');
}
