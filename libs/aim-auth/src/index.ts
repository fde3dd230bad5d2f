export {
  AIM_USER_STRATEGY,
  AIM_SERVICE_STRATEGY,
  AIM_PUBLIC_ROUTE,
  AIM_TOKEN_KINDS,
  AIM_REQUIRED_SCOPES,
  AIM_REQUIRED_PRIVILEGES,
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
export {
  AIM_USER_AUTH_OPTIONS,
  type AimUserAuthModuleExtras,
} from './user/aim-user-auth.module-definition';
export { AimUserLookup, MesUserLookup, type AimUserStatus } from './user/aim-user-lookup';
export { AimPrivilegeSource, MesPrivilegeSource } from './privileges/aim-privilege-source';
export { AimUserAuthGuard } from './user/aim-user-auth.guard';
export { MesUserDirectory } from './user/mes-user-directory';
export type { MesUserDirectoryStats } from './user/mes-user-directory';
export { MesGroupDirectory } from './user/mes-group-directory';
export { AimServiceAuthModule } from './service/aim-service-auth.module';
export { AIM_SERVICE_AUTH_OPTIONS } from './service/aim-service-auth.module-definition';
export { AimServiceAuthGuard } from './service/aim-service-auth.guard';
export { AimAuthGuard } from './guards/aim-auth.guard';
export {
  createAimAuthGuard,
  type AimAuthenticatedRequest,
  type AimAuthGuardLike,
  type AimGuardRequest,
} from './guards/aim-guard.factory';
export { Public } from './decorators/public.decorator';
export { CurrentMesUser } from './decorators/current-mes-user.decorator';
export { Authenticated } from './decorators/authenticated.decorator';
export {
  AllowTokens,
  UserTokensOnly,
  ServiceTokensOnly,
} from './decorators/allow-tokens.decorator';
export { RequireScope } from './decorators/require-scope.decorator';
export { RequirePrivilege } from './decorators/require-privilege.decorator';
export type {
  AimTokenKind,
  AimPrivilegeRequirement,
} from './interfaces/aim-route-access.interface';
export { extractBearerToken } from './strategies/bearer-token.strategy';
