import {
  AimUserAuthModuleOptions,
  ResolvedAimUserAuthOptions,
} from '../interfaces/aim-user-auth-options.interface';
import { AimAuthConfigError } from '../token/aim-auth-config.error';

export function resolveAimUserAuthOptions(
  options: AimUserAuthModuleOptions = {},
): ResolvedAimUserAuthOptions {
  const userClaim = options.userClaim ?? 'preferred_username';
  if (typeof userClaim !== 'string' || userClaim.trim() === '') {
    throw new AimAuthConfigError(
      'AimUserAuthModule: userClaim must name a token claim (AIM_USER_CLAIM), e.g. preferred_username.',
    );
  }
  const number = (name: string, value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new AimAuthConfigError(`AimUserAuthModule: ${name} must be a number >= 0.`);
    }
    return value;
  };
  return Object.freeze({
    userClaim: userClaim.trim(),
    stripDomain: options.stripDomain === true,
    userCacheTtlMs: number('userCacheTtlMs', options.userCacheTtlMs, 30_000),
    userCacheMaxEntries: Math.floor(
      number('userCacheMaxEntries', options.userCacheMaxEntries, 10_000),
    ),
  });
}
