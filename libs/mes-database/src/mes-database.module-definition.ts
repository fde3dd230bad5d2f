import { ConfigurableModuleBuilder } from '@nestjs/common';
import { MesDatabaseOptions } from './interfaces/mes-database-options.interface';
import { MES_DATABASE_OPTIONS } from './mes-database.constants';

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<MesDatabaseOptions>({
    moduleName: 'MesDatabase',
    optionsInjectionToken: MES_DATABASE_OPTIONS,
  })
    .setClassMethodName('forRoot')
    .setExtras({ isGlobal: false }, (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
    }))
    .build();
