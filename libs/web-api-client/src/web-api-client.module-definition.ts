import { ConfigurableModuleBuilder } from '@nestjs/common';
import { MesWebApiClientOptions } from './interfaces/mes-web-api-client-options.interface';
import { MES_WEB_API_CLIENT_OPTIONS } from './web-api-client.constants';

export const {
  ConfigurableModuleClass: MesWebApiClientConfigurableModule,
  OPTIONS_TYPE: MES_WEB_API_CLIENT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: MES_WEB_API_CLIENT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<MesWebApiClientOptions>({
  optionsInjectionToken: MES_WEB_API_CLIENT_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
