import {
  AimServiceAuthModuleOptions,
  ResolvedAimServiceAuthOptions,
} from '../interfaces/aim-service-auth-options.interface';
import { AimAuthConfigError } from '../token/aim-auth-config.error';

export function resolveAimServiceAuthOptions(
  options: AimServiceAuthModuleOptions = {},
): ResolvedAimServiceAuthOptions {
  const serviceScope = options.serviceScope ?? 'system';
  if (typeof serviceScope !== 'string' || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(serviceScope)) {
    throw new AimAuthConfigError(
      'AimServiceAuthModule: serviceScope must be one scope name without spaces or quotes (AIM_SERVICE_SCOPE), e.g. system.',
    );
  }
  const userClaim = options.userClaim ?? 'preferred_username';
  if (typeof userClaim !== 'string' || userClaim.trim() === '') {
    throw new AimAuthConfigError(
      'AimServiceAuthModule: userClaim must name a token claim, e.g. preferred_username.',
    );
  }
  return Object.freeze({ serviceScope, userClaim: userClaim.trim() });
}
