import { ConfigurableModuleBuilder, DynamicModule, Inject, Provider, Type } from '@nestjs/common';
import { MesUsersModule } from '@mes-web-api/mes-users';
import { AimUserAuthModuleOptions } from '../interfaces/aim-user-auth-options.interface';
import { AimPrivilegeSource, MesPrivilegeSource } from '../privileges/aim-privilege-source';
import { AimUserLookup, MesUserLookup } from './aim-user-lookup';

/** What `forRoot` / `forRootAsync` take besides the options: providers that replace the MES ones. */
export interface AimUserAuthModuleExtras {
  /**
   * Who may use the API, instead of the MES `user_name` check. With it, the module does not
   * need the MES database (MesUsersModule is not imported).
   */
  users?: Type<AimUserLookup>;
  /**
   * Who holds which privilege (`@RequirePrivilege()`), instead of the MES groups. Default: the
   * MES tables, unless `users` is given (then `@RequirePrivilege()` needs this).
   */
  privileges?: Type<AimPrivilegeSource>;
}

/** The MES user check and privileges unless the app brings its own (see the extras). */
function withLookups(
  definition: DynamicModule,
  { users, privileges }: AimUserAuthModuleExtras,
): DynamicModule {
  const mesTables = users === undefined;
  const providers: Provider[] = [{ provide: AimUserLookup, useClass: users ?? MesUserLookup }];
  const privilegeSource = privileges ?? (mesTables ? MesPrivilegeSource : undefined);
  if (privilegeSource) providers.push({ provide: AimPrivilegeSource, useClass: privilegeSource });
  return {
    ...definition,
    imports: [...(definition.imports ?? []), ...(mesTables ? [MesUsersModule] : [])],
    providers: [...(definition.providers ?? []), ...providers],
    exports: [
      ...(definition.exports ?? []),
      AimUserLookup,
      ...(privilegeSource ? [AimPrivilegeSource] : []),
    ],
  };
}

export const {
  ConfigurableModuleClass: AimUserAuthConfigurableModule,
  MODULE_OPTIONS_TOKEN: AIM_USER_AUTH_OPTIONS,
  OPTIONS_TYPE: AIM_USER_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AIM_USER_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AimUserAuthModuleOptions>({
  optionsInjectionToken: 'AIM_AUTH:USER_OPTIONS',
})
  .setClassMethodName('forRoot')
  .setExtras<AimUserAuthModuleExtras>({}, withLookups)
  .build();

/** Injects the raw `AimUserAuthModule` options. */
export const InjectAimUserAuthOptions = (): ParameterDecorator => Inject(AIM_USER_AUTH_OPTIONS);
