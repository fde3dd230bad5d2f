import { join } from 'node:path';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AimServiceAuthModule, AimTokenModule, AimUserAuthModule } from '@mes-web-api/aim-auth';
import { BackgroundUserModule } from '@mes-web-api/background-user';
import { DIRECT_ACCESS_PRIV_ID, MesDatabaseModule } from '@mes-web-api/mes-database';
import { DirectAccessModule } from '@mes-web-api/mes-direct-access';
import { MesPlantModule } from '@mes-web-api/mes-plant';
import { MesTransactionsModule } from '@mes-web-api/mes-transactions';
import { ConsumerAuthGuard } from './consumer-auth.guard';
import { consumerMethodsModule } from './consumer.methods';
import { EventsGateway } from './events.gateway';
import { OrdersController } from './orders.controller';
import { PlantController } from './plant.controller';

export interface ConsumerConfig {
  /** Issuer URL of the trusted authority, e.g. the development authority's. */
  issuer: string;
  /** The app's own SQLite MES database (created and migrated by the package on first start). */
  dbPath: string;
}

/** The consumer app: the MES modules from their packages, its own controller and gateway. */
@Module({})
export class AppModule {
  static forRoot(config: ConsumerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        MesDatabaseModule.forRoot({ isGlobal: true, type: 'sqlite', path: config.dbPath }),
        AimTokenModule.forRoot({ authorities: [config.issuer], audiences: ['system'] }),
        AimUserAuthModule.forRoot({}),
        AimServiceAuthModule.forRoot({}),
        BackgroundUserModule.forRoot({}),
        MesPlantModule,
        MesTransactionsModule.forRoot({ instanceId: 'consumer-1' }),
        consumerMethodsModule,
        // GET|POST api/v3/DirectAccess?spName=consumer_*: the .sql files of procedures/ (SQLite)
        DirectAccessModule.forRoot({
          procedureDir: join(__dirname, '..', '..', 'procedures'),
          allow: ['consumer_*'],
          privilege: { id: DIRECT_ACCESS_PRIV_ID, name: 'access the database directly' },
        }),
      ],
      controllers: [OrdersController, PlantController],
      providers: [
        { provide: APP_GUARD, useClass: ConsumerAuthGuard },
        ConsumerAuthGuard,
        EventsGateway,
      ],
    };
  }
}
