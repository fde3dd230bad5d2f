import {
  AimUserAuthModuleOptions,
  MesSecurityMode,
  ResolvedAimUserAuthOptions,
} from '../interfaces/aim-user-auth-options.interface';
import { AimAuthConfigError } from '../token/aim-auth-config.error';

const SECURITY_MODES: readonly MesSecurityMode[] = ['os-user', 'os-group'];

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
  const securityMode = options.securityMode ?? 'os-user';
  if (!SECURITY_MODES.includes(securityMode)) {
    throw new AimAuthConfigError(
      String(securityMode).toLowerCase() === 'native'
        ? 'AimUserAuthModule: securityMode "native" (MES Native security) is not supported: the Web API needs a Windows security mode, os-user or os-group (MES_SECURITY_MODE).'
        : `AimUserAuthModule: securityMode must be one of ${SECURITY_MODES.join(', ')} (MES_SECURITY_MODE).`,
    );
  }
  const groupClaim = options.groupClaim ?? 'role';
  if (typeof groupClaim !== 'string' || groupClaim.trim() === '') {
    throw new AimAuthConfigError(
      'AimUserAuthModule: groupClaim must name the token claim with the group SIDs (AIM_GROUP_CLAIM), e.g. role.',
    );
  }
  return Object.freeze({
    userClaim: userClaim.trim(),
    stripDomain: options.stripDomain === true,
    userCacheTtlMs: number('userCacheTtlMs', options.userCacheTtlMs, 30_000),
    userCacheMaxEntries: Math.floor(
      number('userCacheMaxEntries', options.userCacheMaxEntries, 10_000),
    ),
    securityMode,
    groupClaim: groupClaim.trim(),
  });
}
