import { Logger } from '@nestjs/common';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  FlattenedJWSInput,
  JSONWebKeySet,
  JWKSCacheInput,
  jwksCache,
  JWTHeaderParameters,
  KeyLike,
} from 'jose';
import { ResolvedAimTokenOptions } from '../interfaces/aim-token-options.interface';
import { isAcceptableAuthorityUrl, issuerKey } from './loopback';

type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>;
type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/** The authority could not be asked (network, timeout, non-2xx, unusable document). Internal. */
export class AuthorityUnreachableError extends Error {
  constructor(
    readonly issuer: string,
    why: string,
    cause?: unknown,
  ) {
    super(`${issuer}: ${why}`, cause === undefined ? undefined : { cause });
    this.name = 'AuthorityUnreachableError';
  }
}

/**
 * jose's remote set throws a plain TypeError / Node system error when the endpoint is down, a
 * JWKSTimeout on timeout and a generic JOSEError on a non-200 or non-JSON answer; none of these
 * says anything about the token.
 */
function isFetchFailure(err: unknown): boolean {
  if (!(err instanceof errors.JOSEError)) return true;
  return (
    err.code === 'ERR_JWKS_TIMEOUT' ||
    err.code === 'ERR_JOSE_GENERIC' ||
    err.code === 'ERR_JWKS_INVALID'
  );
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const cause = (err as { cause?: { code?: unknown } }).cause?.code;
    return [
      err.message,
      typeof code === 'string' ? code : '',
      typeof cause === 'string' ? cause : '',
    ]
      .filter(Boolean)
      .join(' ');
  }
  return String(err);
}

/**
 * The signing keys of ONE trusted authority: discovery is read lazily and cached once it
 * succeeded (a failure is retried on a later request), the JWKS comes from the discovered
 * `jwks_uri` through jose's remote set (single-flight fetches, unknown `kid` refetched at most
 * once per cooldown). Keys already fetched keep working while the authority is down, even past
 * the JWKS max age. Nothing named inside a token is ever fetched.
 */
export interface AuthorityStatus {
  issuer: string;
  state: 'up' | 'unreachable' | 'not contacted yet';
  keysCached: number;
  lastContactAt?: string;
  lastError?: string;
  /** Successful fetches since start: discovery documents and key sets (JWKS). */
  discoveryFetches: number;
  keyFetches: number;
  /** Failed attempts since start (network, timeout, non-2xx, unusable document). */
  discoveryFailures: number;
  keyFetchFailures: number;
}

export class AuthorityKeySet {
  private remote?: RemoteKeySet;
  private discovery?: Promise<RemoteKeySet>;
  private failedUntil = 0;
  private stale?: { source: JSONWebKeySet; local: LocalKeySet };
  private lastError?: { at: number; why: string };
  private lastOkAt?: number;
  /** jose's export of the fetched key set: its `uat` changes on every successful JWKS fetch. */
  private readonly fetched: JWKSCacheInput = {};
  private seenUat?: number;
  private readonly counts = {
    discoveryFetches: 0,
    keyFetches: 0,
    discoveryFailures: 0,
    keyFetchFailures: 0,
  };

  constructor(
    readonly issuer: string,
    private readonly options: ResolvedAimTokenOptions,
    private readonly logger: Logger,
  ) {}

  /** A jose key resolver (`jwtVerify(token, keySet.getKey, …)`). */
  readonly getKey = async (
    header: JWTHeaderParameters,
    token: FlattenedJWSInput,
  ): Promise<KeyLike | Uint8Array> => {
    if (Date.now() < this.failedUntil)
      return this.fromKnownKeys(header, token, 'recently unreachable');
    const remote = this.remote ?? (await this.discover());
    try {
      const key = await remote(header, token);
      this.lastOkAt = Date.now();
      this.noteKeyFetch();
      return key;
    } catch (err) {
      if (!isFetchFailure(err)) {
        this.noteKeyFetch(); // e.g. a refetch for an unknown kid that still does not match
        throw err;
      }
      this.counts.keyFetchFailures += 1;
      this.markFailed(`JWKS fetch failed: ${describe(err)}`);
      return this.fromKnownKeys(header, token, describe(err), err);
    }
  };

  private fromKnownKeys(
    header: JWTHeaderParameters,
    token: FlattenedJWSInput,
    why: string,
    cause?: unknown,
  ): Promise<KeyLike | Uint8Array> {
    const known = this.remote?.jwks();
    if (!known) throw new AuthorityUnreachableError(this.issuer, why, cause);
    if (this.stale?.source !== known)
      this.stale = { source: known, local: createLocalJWKSet(known) };
    return this.stale.local(header, token).catch((err: unknown) => {
      // An unknown key cannot be looked up while the authority is down: that is an outage, not a bad token.
      if (err instanceof errors.JWKSNoMatchingKey) {
        throw new AuthorityUnreachableError(this.issuer, `no known key matches; ${why}`, cause);
      }
      throw err;
    });
  }

  /** What is known about this authority, without contacting it. */
  status(): AuthorityStatus {
    const keys = this.remote?.jwks()?.keys.length ?? 0;
    const failing = this.lastError !== undefined && (this.lastOkAt ?? 0) < this.lastError.at;
    return {
      issuer: this.issuer,
      state: failing ? 'unreachable' : this.lastOkAt !== undefined ? 'up' : 'not contacted yet',
      keysCached: keys,
      lastContactAt:
        this.lastOkAt === undefined ? undefined : new Date(this.lastOkAt).toISOString(),
      lastError: failing ? this.lastError?.why : undefined,
      ...this.counts,
    };
  }

  /** Counts a JWKS fetch when jose's export of the key set has a new update time. */
  private noteKeyFetch(): void {
    const uat = this.fetched.uat;
    if (uat !== undefined && uat !== this.seenUat) {
      this.seenUat = uat;
      this.counts.keyFetches += 1;
    }
  }

  /** Fetches discovery and keys now (e.g. at start-up), so the first request does not wait. */
  async warmUp(): Promise<void> {
    let remote: RemoteKeySet;
    try {
      remote = this.remote ?? (await this.discover());
    } catch (err) {
      // discover() has counted and reported the failure.
      if (!isFetchFailure(err) && !(err instanceof AuthorityUnreachableError)) throw err;
      return;
    }
    try {
      await remote.reload();
      this.lastOkAt = Date.now();
      this.noteKeyFetch();
    } catch (err) {
      if (!isFetchFailure(err)) throw err;
      this.counts.keyFetchFailures += 1;
      this.markFailed(describe(err));
    }
  }

  private markFailed(why: string): void {
    this.lastError = { at: Date.now(), why };
    if (Date.now() >= this.failedUntil) {
      this.logger.warn(`Token authority ${this.issuer} cannot be reached: ${why}`);
    }
    this.failedUntil = Date.now() + this.options.failureBackoffMs;
  }

  private discover(): Promise<RemoteKeySet> {
    this.discovery ??= this.fetchDiscovery().then(
      (remote) => {
        this.counts.discoveryFetches += 1;
        this.remote = remote;
        return remote;
      },
      (err: unknown) => {
        this.discovery = undefined;
        this.counts.discoveryFailures += 1;
        this.markFailed(describe(err));
        throw err;
      },
    );
    return this.discovery;
  }

  private async fetchDiscovery(): Promise<RemoteKeySet> {
    const url = `${this.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    let document: unknown;
    try {
      const response = await fetch(url, {
        signal: AbortSignal.timeout(this.options.fetchTimeoutMs),
        redirect: 'error',
        headers: { accept: 'application/json' },
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`discovery answered HTTP ${response.status}`);
      }
      document = await response.json();
    } catch (err) {
      throw new AuthorityUnreachableError(this.issuer, `discovery failed: ${describe(err)}`, err);
    }
    const { issuer, jwks_uri: jwksUri } = (document ?? {}) as {
      issuer?: unknown;
      jwks_uri?: unknown;
    };
    if (typeof issuer !== 'string' || issuerKey(issuer) !== issuerKey(this.issuer)) {
      throw new AuthorityUnreachableError(
        this.issuer,
        `discovery names issuer ${JSON.stringify(issuer)}, not the configured one`,
      );
    }
    let jwksUrl: URL;
    try {
      jwksUrl = new URL(String(jwksUri));
    } catch {
      throw new AuthorityUnreachableError(this.issuer, 'discovery has no valid jwks_uri');
    }
    if (!isAcceptableAuthorityUrl(jwksUrl)) {
      throw new AuthorityUnreachableError(
        this.issuer,
        'jwks_uri must be https (http only on loopback)',
      );
    }
    return createRemoteJWKSet(jwksUrl, {
      timeoutDuration: this.options.fetchTimeoutMs,
      cooldownDuration: this.options.jwksCooldownMs,
      cacheMaxAge: this.options.jwksMaxAgeMs,
      [jwksCache]: this.fetched,
    });
  }
}
