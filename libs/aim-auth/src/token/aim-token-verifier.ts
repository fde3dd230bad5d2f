import { Injectable, Logger } from '@nestjs/common';
import { BoundedTtlCache, MesError, MesErrorCode } from '@mes-web-api/common';
import {
  decodeJwt,
  decodeProtectedHeader,
  JWTPayload,
  jwtVerify,
  ProtectedHeaderParameters,
} from 'jose';
import {
  AimTokenModuleOptions,
  ResolvedAimTokenOptions,
} from '../interfaces/aim-token-options.interface';
import { resolveAimTokenOptions } from './aim-token-options';
import { InjectAimTokenOptions } from './aim-token.module-definition';
import { AuthorityKeySet, AuthorityStatus, AuthorityUnreachableError } from './authority-key-set';
import { bearerChallenge } from './bearer-challenge';
import { tokenErrorReason } from './token-error-reason';
import { issuerKey } from './loopback';

/** The claims of a verified access token (frozen). */
export type AimTokenClaims = Readonly<JWTPayload>;

/** Far larger than any AIM access token; refuses absurd input before any parsing. */
const MAX_TOKEN_LENGTH = 16_384;
/**
 * The memo's key: the last characters of the token, which are the end of its signature. Looking
 * a fresh string up in a Map hashes all of it, about 1 µs per request for a whole AIM token; the
 * signature's end is as unique and 20 times shorter. A hit counts only when the whole remembered
 * token equals the presented one, so a token that merely ends the same way is verified as usual.
 */
const MEMO_KEY_LENGTH = 43;
const memoKey = (token: string): string =>
  token.length > MEMO_KEY_LENGTH ? token.slice(-MEMO_KEY_LENGTH) : token;

/** A verified token and its claims, as remembered. */
interface Remembered {
  token: string;
  claims: AimTokenClaims;
}

/** Header members that would name a key or a key URL chosen by the token's author. */
const KEY_BEARING_HEADERS = ['jwk', 'jku', 'x5u', 'x5c'] as const;

/**
 * The one token verifier shared by every strategy: picks the trusted authority by the token's
 * `iss` (allow-list only), verifies signature, issuer, audience, expiry and algorithm with jose,
 * and remembers verified tokens for a short while in a bounded memo.
 */
@Injectable()
export class AimTokenVerifier {
  private readonly logger = new Logger(AimTokenVerifier.name);
  readonly options: ResolvedAimTokenOptions;
  private readonly keySets: ReadonlyMap<string, AuthorityKeySet>;
  private readonly memo: BoundedTtlCache<string, Remembered>;

  constructor(@InjectAimTokenOptions() options: AimTokenModuleOptions) {
    this.options = resolveAimTokenOptions(options);
    this.keySets = new Map(
      this.options.authorities.map((issuer) => [
        issuerKey(issuer),
        new AuthorityKeySet(issuer, this.options, this.logger),
      ]),
    );
    this.memo = new BoundedTtlCache(this.options.memoMaxEntries);
  }

  /** Realm used in every `WWW-Authenticate` challenge. */
  get realm(): string {
    return this.options.realm;
  }

  /** Per trusted authority: reachable or not, keys cached, last error. Never contacts it. */
  authorityStatus(): AuthorityStatus[] {
    return [...this.keySets.values()].map((k) => k.status());
  }

  /** Fetches every authority's discovery and keys now; an unreachable one is logged, not thrown. */
  async warmUp(): Promise<void> {
    await Promise.all([...this.keySets.values()].map((k) => k.warmUp()));
  }

  /** Number of verified tokens currently remembered (bounded by `memoMaxEntries`). */
  get memoSize(): number {
    return this.memo.size;
  }

  /**
   * The claims of a token verified earlier and still remembered, without waiting; `undefined`
   * when it is not remembered (then only `verify` can tell).
   */
  remembered(token: string, now = Date.now()): AimTokenClaims | undefined {
    const entry = this.memo.get(memoKey(token), now);
    return entry !== undefined && entry.token === token ? entry.claims : undefined;
  }

  /**
   * Verifies a raw bearer token. Throws MesError TokenInvalid (401, with an RFC 6750 challenge)
   * for a bad token, AuthorityUnreachable (500) when the authority's keys cannot be fetched.
   */
  async verify(token: string): Promise<AimTokenClaims> {
    const now = Date.now();
    const remembered = this.remembered(token, now);
    if (remembered) return remembered;

    // The token's own `iss` is checked exactly below, once it matched a trusted issuer.
    const issuer = this.precheck(token);
    const keySet = this.keySets.get(issuerKey(issuer));
    if (!keySet) throw this.invalid('the token issuer is not trusted');

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keySet.getKey, {
        issuer,
        audience: [...this.options.audiences],
        algorithms: [...this.options.algorithms],
        clockTolerance: this.options.clockSkewS,
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      if (err instanceof AuthorityUnreachableError) throw this.unreachable(err);
      throw this.invalid(tokenErrorReason(err));
    }
    const nowS = Date.now() / 1000;
    if (typeof payload.iat === 'number' && payload.iat > nowS + this.options.clockSkewS) {
      throw this.invalid('the token was issued in the future');
    }

    const claims = Object.freeze(payload);
    const expMs = (payload.exp as number) * 1000;
    this.memo.set(
      memoKey(token),
      { token, claims },
      Math.min(expMs, now + this.options.memoTtlMs),
      now,
    );
    return claims;
  }

  /** Shape checks on the untrusted token; returns its `iss` (still untrusted). */
  private precheck(token: string): string {
    if (token.length > MAX_TOKEN_LENGTH) throw this.invalid('the token is too large');
    let header: ProtectedHeaderParameters;
    let payload: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      payload = decodeJwt(token);
    } catch {
      throw this.invalid('the token is malformed');
    }
    if (KEY_BEARING_HEADERS.some((name) => header[name] !== undefined)) {
      throw this.invalid('the token header names its own key, which is never trusted');
    }
    if (typeof header.alg !== 'string' || !this.options.algorithms.includes(header.alg)) {
      throw this.invalid('the token algorithm is not allowed');
    }
    if (typeof payload.iss !== 'string') throw this.invalid('the token has no issuer');
    return payload.iss;
  }

  private invalid(reason: string): MesError {
    this.logger.debug(`Access token rejected: ${reason}`);
    return new MesError(MesErrorCode.TokenInvalid, `The access token is not valid: ${reason}.`, {
      headers: {
        'WWW-Authenticate': bearerChallenge(this.options.realm, {
          error: 'invalid_token',
          description: reason,
        }),
      },
    });
  }

  private unreachable(err: AuthorityUnreachableError): MesError {
    this.logger.debug(`Access token not verifiable: ${err.message}`);
    return new MesError(
      MesErrorCode.AuthorityUnreachable,
      `The token authority ${err.issuer} cannot be reached, so the access token cannot be verified. Try again later.`,
      { cause: err },
    );
  }
}
