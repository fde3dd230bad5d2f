import { Module } from '@nestjs/common';
import { MesWebApiClientOptions } from './interfaces/mes-web-api-client-options.interface';
import { MesWebApiClient } from './mes-web-api-client';
import { MES_WEB_API_CLIENT_OPTIONS } from './web-api-client.constants';
import { MesWebApiClientConfigurableModule } from './web-api-client.module-definition';

/**
 * Provides `MesWebApiClient`. `forRoot({ definitionsFile | definitions, … })` or
 * `forRootAsync({ useFactory | useClass | useExisting })`; `isGlobal: true` to share it.
 * The definitions are validated when the module starts, so a bad file stops the app at once.
 */
@Module({
  providers: [
    {
      provide: MesWebApiClient,
      inject: [MES_WEB_API_CLIENT_OPTIONS],
      useFactory: (options: MesWebApiClientOptions) => new MesWebApiClient(options),
    },
  ],
  exports: [MesWebApiClient],
})
export class MesWebApiClientModule extends MesWebApiClientConfigurableModule {}
