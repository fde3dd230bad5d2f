export {
  AIM_USER_STRATEGY,
  AIM_SERVICE_STRATEGY,
  AIM_PUBLIC_ROUTE,
  AIM_BEARER_SCHEME,
  ASYMMETRIC_ALGORITHMS,
} from './aim-auth.constants';
export { AimTokenModuleOptions } from './interfaces/aim-token-options.interface';
export {
  AimUserAuthModuleOptions,
  MesSecurityMode,
} from './interfaces/aim-user-auth-options.interface';
export { AimServiceAuthModuleOptions } from './interfaces/aim-service-auth-options.interface';
export { AimTokenModule } from './token/aim-token.module';
export { AIM_TOKEN_OPTIONS, InjectAimTokenOptions } from './token/aim-token.module-definition';
export { AimTokenVerifier, AimTokenClaims } from './token/aim-token-verifier';
export type { AuthorityStatus } from './token/authority-key-set';
export { AimAuthConfigError } from './token/aim-auth-config.error';
export { AimUserAuthModule } from './user/aim-user-auth.module';
export { AIM_USER_AUTH_OPTIONS } from './user/aim-user-auth.module-definition';
export { AimUserAuthGuard } from './user/aim-user-auth.guard';
export { MesUserDirectory } from './user/mes-user-directory';
export type { MesUserDirectoryStats } from './user/mes-user-directory';
export { MesGroupDirectory } from './user/mes-group-directory';
export { AimServiceAuthModule } from './service/aim-service-auth.module';
export { AIM_SERVICE_AUTH_OPTIONS } from './service/aim-service-auth.module-definition';
export { AimServiceAuthGuard } from './service/aim-service-auth.guard';
export { AimAuthGuard } from './guards/aim-auth.guard';
export { AimAuthenticatedRequest, AimAuthGuardLike } from './guards/aim-guard.factory';
export { Public } from './decorators/public.decorator';
export { CurrentMesUser } from './decorators/current-mes-user.decorator';
export { Authenticated } from './decorators/authenticated.decorator';
export { extractBearerToken } from './strategies/bearer-token.strategy';
