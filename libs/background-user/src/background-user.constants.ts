/** Cache keys (inside the configured namespace) and defaults of the background-user lib. */
export const BACKGROUND_USER_CACHE_KEY = 'background-user:current';
/**
 * Generation token: rewritten on every change made through this API. A cached entry is only
 * trusted when it carries the current generation, so a load that raced with a change can never
 * put the old user back into the shared cache.
 */
export const BACKGROUND_USER_GENERATION_KEY = 'background-user:generation';

export const DEFAULT_BACKGROUND_USER_TTL_MS = 3_600_000;
export const DEFAULT_BACKGROUND_USER_FAILURE_TTL_MS = 5_000;
export const DEFAULT_BACKGROUND_USER_CACHE_TIMEOUT_MS = 200;
/** While the cache is down, probe it at most this often; other calls go straight to the database. */
export const BACKGROUND_USER_CACHE_RETRY_INTERVAL_MS = 1_000;
export const DEFAULT_BACKGROUND_USER_REDIS_NAMESPACE = 'mes-web-api';

/** Human name of attribute 199, used in every message. */
export const BACKGROUND_USER_ATTR_LABEL = 'System attribute 199 (User ID for background tasks)';
