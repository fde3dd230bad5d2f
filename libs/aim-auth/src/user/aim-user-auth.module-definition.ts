import { ConfigurableModuleBuilder, Inject } from '@nestjs/common';
import { AimUserAuthModuleOptions } from '../interfaces/aim-user-auth-options.interface';

export const {
  ConfigurableModuleClass: AimUserAuthConfigurableModule,
  MODULE_OPTIONS_TOKEN: AIM_USER_AUTH_OPTIONS,
  OPTIONS_TYPE: AIM_USER_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AIM_USER_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AimUserAuthModuleOptions>({
  optionsInjectionToken: 'AIM_AUTH:USER_OPTIONS',
})
  .setClassMethodName('forRoot')
  .build();

/** Injects the raw `AimUserAuthModule` options. */
export const InjectAimUserAuthOptions = (): ParameterDecorator => Inject(AIM_USER_AUTH_OPTIONS);
