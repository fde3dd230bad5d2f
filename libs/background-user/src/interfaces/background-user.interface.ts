/** The validated MES user that service-to-service calls run as. */
export interface BackgroundUser {
  readonly userId: string;
  readonly userDesc: string | null;
  /** When this value was read from the database (it may have been served from the cache since). */
  readonly loadedAt: Date;
}

/** Why attribute 199 does not give a usable background user. */
export type BackgroundUserProblem =
  'attribute-missing' | 'attribute-empty' | 'user-unknown' | 'user-inactive';

/** What `GET /mesmw/health` shows about the background user. Never holds secrets. */
export interface BackgroundUserStatus {
  /** The value of attribute 199, or null when the attribute is missing or empty. */
  configuredUserId: string | null;
  valid: boolean;
  /** Why it is not valid (same text as the 403 a service call gets). */
  reason?: string;
  /** When the checked value was loaded from the database (ISO 8601). */
  cachedSince?: string;
  cache: 'redis' | 'memory';
  /** False while the shared cache is unreachable (service calls then read the database). */
  cacheHealthy: boolean;
}
