import { errors } from 'jose';

/** A short, fixed, safe reason for a rejected token (shown to clients; never token content). */
export function tokenErrorReason(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case 'iss':
        return 'the token issuer is not trusted';
      case 'aud':
        return 'the token audience is not accepted';
      case 'nbf':
        return 'the token is not yet valid';
      case 'iat':
        return 'the token issue time is invalid';
      case 'exp':
        return err.reason === 'missing' ? 'the token has no expiry' : 'the token expiry is invalid';
      default:
        return 'a token claim is invalid';
    }
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'the token algorithm is not allowed';
  if (err instanceof errors.JWKSNoMatchingKey)
    return 'no signing key of the authority matches the token';
  if (err instanceof errors.JWKSMultipleMatchingKeys) return 'the token key id is ambiguous';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid)
    return 'the token is malformed';
  if (err instanceof errors.JOSENotSupported)
    return 'the token uses an unsupported algorithm or key';
  return 'the token could not be verified';
}
