import { MesError, MesErrorCode, MesPrincipal } from '@mes-web-api/common';
import * as passport from 'passport';
import { AimAuthFailure } from '../interfaces/aim-auth-failure.interface';
import { bearerChallenge } from '../token/bearer-challenge';

/** `done` of a bearer verify function: an error, a principal, or `false` plus a failure. */
export type BearerDone = (
  err: unknown,
  user?: MesPrincipal | false | null,
  info?: AimAuthFailure,
) => void;
export type BearerVerify = (token: string, done: BearerDone) => void;

/** A strategy's verdict on a token: the principal, or `false` and why the token is not its own. */
export type BearerVerdict = MesPrincipal | [false, AimAuthFailure];

/** One request's result, as passport's success / fail / error would report it. */
export type BearerOutcome =
  | { readonly user: MesPrincipal }
  | { readonly failure: AimAuthFailure | undefined }
  | { readonly error: unknown };

export interface RequestWithHeaders {
  headers?: Record<string, string | string[] | undefined>;
}

/** The bearer token of the Authorization header; `undefined` when there is none, `''` when empty. */
export function extractBearerToken(request: RequestWithHeaders): string | undefined {
  const header = request.headers?.authorization;
  if (typeof header !== 'string') return undefined;
  if (isPlainBearer(header)) return header.slice(PLAIN_PREFIX.length);
  const match = BEARER.exec(header);
  if (!match) return undefined;
  return (match[1] ?? '').trim();
}

const BEARER = /^\s*Bearer(?:\s+(.*))?$/i;
const PLAIN_PREFIX = 'Bearer ';

/** A character of an RFC 6750 b64token: letters, digits, `-._~+/=`. */
function isTokenChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x5f ||
    c === 0x7e ||
    c === 0x2b ||
    c === 0x2f ||
    c === 0x3d
  );
}

/**
 * Whether the header is the usual spelling, `Bearer <token>` with a token that starts and ends
 * with a b64token character and holds no line terminator: then `BEARER` would capture exactly
 * what follows the prefix, and the token need not go through the regular expression, which
 * walks a long token character by character (about 1.5 % of a warm request).
 */
function isPlainBearer(header: string): boolean {
  const last = header.length - 1;
  return (
    last >= PLAIN_PREFIX.length &&
    header.startsWith(PLAIN_PREFIX) &&
    isTokenChar(header.charCodeAt(PLAIN_PREFIX.length)) &&
    isTokenChar(header.charCodeAt(last)) &&
    header.indexOf('\n') === -1 &&
    header.indexOf('\r') === -1 &&
    header.indexOf('\u2028') === -1 &&
    header.indexOf('\u2029') === -1
  );
}

/** The 401 for a request without a bearer token (RFC 6750: no error code in the challenge). */
export function tokenMissingError(realm: string): MesError {
  return new MesError(
    MesErrorCode.TokenMissing,
    'An access token is required: send it as "Authorization: Bearer <token>".',
    { headers: { 'WWW-Authenticate': bearerChallenge(realm) } },
  );
}

/**
 * A minimal passport strategy for bearer access tokens, used instead of passport-jwt on purpose:
 * passport-jwt verifies every request again with jsonwebtoken (and its own key lookup), so it
 * could neither share our jose-based remote key sets nor use the verified-token memo, and it turns
 * every failure into `fail()`, which hides "authority unreachable" behind a 401. Here the verify
 * callback gets the raw token; MesErrors go to `error()` (passport stops, the guard rethrows
 * them), `false` + a failure goes to `fail()` so the next strategy can try.
 */
export class BearerTokenStrategy extends passport.Strategy {
  constructor(
    private readonly realmOf: () => string,
    private readonly verifyBearer: BearerVerify,
  ) {
    super();
  }

  /** passport's entry point: the outcome of `check` as success / fail / error. */
  override authenticate(request: RequestWithHeaders): void {
    void this.check(request).then((outcome) => {
      if ('user' in outcome) this.success(outcome.user);
      else if ('error' in outcome) this.error(outcome.error);
      else this.fail(outcome.failure, 401);
    });
  }

  /**
   * The strategy's whole decision for one request. passport reaches it through `authenticate`;
   * the aim-auth guards call it directly, which skips passport's per-request machinery (a new
   * middleware, strategy copy and closures per request, about a quarter of a warm request's CPU).
   */
  check(request: RequestWithHeaders): Promise<BearerOutcome> {
    const token = extractBearerToken(request);
    if (token === undefined) {
      return Promise.resolve({
        failure: { reason: 'missing', error: tokenMissingError(this.realmOf()) },
      });
    }
    if (token === '') return Promise.resolve({ error: this.emptyTokenError() });
    return new Promise((resolve) => {
      this.verifyBearer(token, (err, user, info) => {
        resolve(err ? { error: err } : user ? { user } : { failure: info });
      });
    });
  }

  /**
   * `check` without waiting, for the bearer token of a request (see `extractBearerToken`) that
   * the strategy has seen recently (verified and remembered, its user's status cached): the same
   * outcome `check` would give. `undefined` when deciding takes a wait (a signature to verify, a
   * database or cache read) and when the verdict is an error: then `check` decides, as always.
   */
  checkNow(token: string): BearerOutcome | undefined {
    if (token === '') return undefined;
    let verdict: BearerVerdict | undefined;
    try {
      verdict = this.verdictNow(token);
    } catch {
      return undefined;
    }
    if (verdict === undefined) return undefined;
    return Array.isArray(verdict) ? { failure: verdict[1] } : { user: verdict };
  }

  /** The verdict on `token` when it can be given without waiting; strategies override it. */
  protected verdictNow(_token: string): BearerVerdict | undefined {
    return undefined;
  }

  private emptyTokenError(): MesError {
    return new MesError(
      MesErrorCode.TokenInvalid,
      'The access token is not valid: the bearer token is empty.',
      {
        headers: {
          'WWW-Authenticate': bearerChallenge(this.realmOf(), {
            error: 'invalid_token',
            description: 'the bearer token is empty',
          }),
        },
      },
    );
  }
}
