import { ConfigurableModuleBuilder, Inject } from '@nestjs/common';
import { AimTokenModuleOptions } from '../interfaces/aim-token-options.interface';

export const {
  ConfigurableModuleClass: AimTokenConfigurableModule,
  MODULE_OPTIONS_TOKEN: AIM_TOKEN_OPTIONS,
  OPTIONS_TYPE: AIM_TOKEN_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AIM_TOKEN_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AimTokenModuleOptions>({
  optionsInjectionToken: 'AIM_AUTH:TOKEN_OPTIONS',
})
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

/** Injects the raw `AimTokenModule` options. */
export const InjectAimTokenOptions = (): ParameterDecorator => Inject(AIM_TOKEN_OPTIONS);
