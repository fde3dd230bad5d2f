import { ConfigurableModuleBuilder, Inject } from '@nestjs/common';
import { AimServiceAuthModuleOptions } from '../interfaces/aim-service-auth-options.interface';

export const {
  ConfigurableModuleClass: AimServiceAuthConfigurableModule,
  MODULE_OPTIONS_TOKEN: AIM_SERVICE_AUTH_OPTIONS,
  OPTIONS_TYPE: AIM_SERVICE_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AIM_SERVICE_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AimServiceAuthModuleOptions>({
  optionsInjectionToken: 'AIM_AUTH:SERVICE_OPTIONS',
})
  .setClassMethodName('forRoot')
  .build();

/** Injects the raw `AimServiceAuthModule` options. */
export const InjectAimServiceAuthOptions = (): ParameterDecorator =>
  Inject(AIM_SERVICE_AUTH_OPTIONS);
