import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  AimAuthGuard,
  AimServiceAuthModule,
  AimTokenModule,
  AimUserAuthModule,
} from '@mes-web-api/aim-auth';
import { BackgroundUserModule } from '@mes-web-api/background-user';
import { MesDatabaseModule } from '@mes-web-api/mes-database';
import { DirectAccessModule } from '@mes-web-api/mes-direct-access';
import { MesMethodsModule } from '@mes-web-api/mes-methods';
import { MesPlantModule } from '@mes-web-api/mes-plant';
import { MesTransactionsModule } from '@mes-web-api/mes-transactions';
import { MesUsersModule, MesUsersService } from '@mes-web-api/mes-users';
import { AppConfig } from './config/app-config';
import { appConfig, appConfigModule } from './config/app-config.module';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import {
  MES_METHODS,
  MES_SERVICE_TYPES,
  MesServices,
  mesServices,
  privilegeCheck,
} from './methods';
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
        MesDatabaseModule.forRootAsync({
          isGlobal: true,
          inject,
          useFactory: (c: AppConfig) => c.db,
        }),
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
            securityMode: c.aim.securityMode,
            groupClaim: c.aim.groupClaim,
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
        MesTransactionsModule.forRootAsync({
          inject,
          useFactory: (c: AppConfig) => c.transactions,
        }),
        DirectAccessModule.forRootAsync({
          inject,
          useFactory: (c: AppConfig) => ({
            procedureDir: c.directAccess.procedureDir,
            allow: c.directAccess.allow,
            privilege: { id: c.directAccess.privilegeId, name: 'access the database directly' },
          }),
        }),
        MesMethodsModule.forRoot<MesServices>({
          methods: MES_METHODS,
          imports: [MesPlantModule, MesUsersModule],
          services: { inject: [...MES_SERVICE_TYPES], useFactory: mesServices },
          privilegeCheck: { inject: [MesUsersService], useFactory: privilegeCheck },
        }),
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_GUARD, useClass: AimAuthGuard }, HealthService, StateMetrics],
    };
  }
}
