import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  AimAuthGuard,
  AimServiceAuthModule,
  AimTokenModule,
  AimUserAuthModule,
} from '@mes/aim-auth';
import { BackgroundUserModule } from '@mes/background-user';
import { MesDatabaseModule } from '@mes/mes-database';
import { MesUsersModule } from '@mes/mes-users';
import { AppConfig } from './config/app-config';
import { appConfig, appConfigModule } from './config/app-config.module';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { MesTransactionGuard } from './http/mes-transaction.guard';
import { SystemAttributeController } from './system-attributes/system-attribute.controller';
import { ShiftsApiModule } from './shifts/shifts-api.module';
import { ProductionApiModule } from './production/production-api.module';
import { MasterDataApiModule } from './master-data/master-data.module';
import { OpsModule, StateMetrics } from './ops';

const inject = [appConfig.KEY];

/** Composition only: each capability lives in its lib under libs/. */
@Module({})
export class AppModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        appConfigModule(config),
        OpsModule,
        MesDatabaseModule.forRootAsync({ inject, useFactory: (c: AppConfig) => c.db }),
        MesUsersModule,
        AimTokenModule.forRootAsync({
          inject,
          useFactory: (c: AppConfig) => ({
            authorities: c.aim.authorities,
            audiences: c.aim.audiences,
            algorithms: c.aim.algorithms,
            clockSkewS: c.aim.clockSkewS,
          }),
        }),
        AimUserAuthModule.forRootAsync({
          inject,
          useFactory: (c: AppConfig) => ({
            userClaim: c.aim.userClaim,
            stripDomain: c.aim.stripDomain,
            userCacheTtlMs: c.mesUserCacheTtlS * 1000,
          }),
        }),
        AimServiceAuthModule.forRootAsync({
          inject,
          useFactory: (c: AppConfig) => ({
            serviceScope: c.aim.serviceScope,
            userClaim: c.aim.userClaim,
          }),
        }),
        BackgroundUserModule.forRootAsync({
          inject,
          useFactory: (c: AppConfig) => ({
            ttlMs: c.backgroundUserTtlS * 1000,
            redisUrl: c.redisUrl,
          }),
        }),
        ShiftsApiModule,
        ProductionApiModule,
        MasterDataApiModule,
      ],
      controllers: [HealthController, SystemAttributeController],
      providers: [
        { provide: APP_GUARD, useClass: AimAuthGuard },
        { provide: APP_GUARD, useClass: MesTransactionGuard },
        HealthService,
        StateMetrics,
      ],
    };
  }
}
