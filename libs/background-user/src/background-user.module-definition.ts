import { ConfigurableModuleBuilder } from '@nestjs/common';
import { BackgroundUserModuleOptions } from './interfaces/background-user-options.interface';

export const {
  ConfigurableModuleClass: BackgroundUserConfigurableModule,
  MODULE_OPTIONS_TOKEN: BACKGROUND_USER_OPTIONS,
  OPTIONS_TYPE: BACKGROUND_USER_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: BACKGROUND_USER_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<BackgroundUserModuleOptions>({
  optionsInjectionToken: 'BACKGROUND_USER:OPTIONS',
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createBackgroundUserOptions')
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
