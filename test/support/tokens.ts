import { e2eIssuer } from './api';
import { DEV_AUTHORITY, getClientToken, getUserToken } from './dev-authority';

const cache = new Map<string, Promise<string>>();

/** A real user access token from the e2e development authority (login flow), cached per user. */
export function userToken(userId: string): Promise<string> {
  const key = `user:${userId}`;
  let token = cache.get(key);
  if (!token) {
    token = getUserToken({ issuer: e2eIssuer(), username: userId });
    cache.set(key, token);
  }
  return token;
}

/** A real client-credentials (service-to-service) token for the demo service client. */
export function serviceToken(scope = DEV_AUTHORITY.scope): Promise<string> {
  const key = `client:${scope}`;
  let token = cache.get(key);
  if (!token) {
    token = getClientToken({
      issuer: e2eIssuer(),
      clientId: DEV_AUTHORITY.serviceClientId,
      clientSecret: DEV_AUTHORITY.serviceClientSecret,
      scope,
    });
    cache.set(key, token);
  }
  return token;
}
