import { MesError, MesErrorCode } from '@mes-web-api/common';
import { AimAuthFailure } from '../interfaces/aim-auth-failure.interface';
import { AimTokenClaims } from '../token/aim-token-verifier';
import { bearerChallenge } from '../token/bearer-challenge';

export type TokenKind =
  { kind: 'user'; userName: string; clientId?: string } | { kind: 'service'; clientId?: string };

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The OAuth2 client a token was issued to (`client_id`, else `azp`). */
export function clientIdOf(claims: AimTokenClaims): string | undefined {
  return nonEmptyString(claims.client_id) ?? nonEmptyString(claims.azp);
}

/**
 * A token is a USER token when it names a user: the configured claim, or else `sub`. A token
 * with no such claim, or whose only "user" is `sub === client_id` (RFC 9068 client-credentials
 * tokens, as oidc-provider issues them), is a SERVICE token.
 */
export function classifyToken(claims: AimTokenClaims, userClaim: string): TokenKind {
  const clientId = clientIdOf(claims);
  const named = nonEmptyString(claims[userClaim]);
  if (named) return { kind: 'user', userName: named, clientId };
  const sub = nonEmptyString(claims.sub);
  if (sub && sub !== clientId) return { kind: 'user', userName: sub, clientId };
  return { kind: 'service', clientId };
}

/**
 * Whether the token carries `scope`: in `scope` (a space-separated string or an array), else in
 * `scp`. A string is searched in place, without splitting it on every request.
 */
export function hasScope(claims: AimTokenClaims, scope: string): boolean {
  const raw = claims.scope ?? claims.scp;
  if (Array.isArray(raw)) return raw.includes(scope);
  if (typeof raw !== 'string' || scope === '') return false;
  for (let at = raw.indexOf(scope); at !== -1; at = raw.indexOf(scope, at + 1)) {
    const end = at + scope.length;
    if ((at === 0 || SPACE.test(raw[at - 1])) && (end === raw.length || SPACE.test(raw[end])))
      return true;
  }
  return false;
}
const SPACE = /\s/;

/** The failure a strategy answers for a valid token of the kind it does not accept (401). */
export function wrongKindFailure(realm: string, reason: string): AimAuthFailure {
  return {
    reason: 'wrong-kind',
    error: new MesError(MesErrorCode.TokenInvalid, `The access token is not valid: ${reason}.`, {
      headers: {
        'WWW-Authenticate': bearerChallenge(realm, { error: 'invalid_token', description: reason }),
      },
    }),
  };
}
