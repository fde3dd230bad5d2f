import { Module } from '@nestjs/common';
import { AimServiceAuthConfigurableModule } from './aim-service-auth.module-definition';
import { AimServiceAuthGuard } from './aim-service-auth.guard';
import { AimServiceStrategy } from './aim-service.strategy';

/**
 * Service-to-service mode: registers the `aim-service` strategy (client-credentials token with
 * the service scope → the MES background user). Needs AimTokenModule and BackgroundUserService
 * (BackgroundUserModule.forRoot(), global by default).
 */
@Module({
  providers: [AimServiceStrategy, AimServiceAuthGuard],
  exports: [AimServiceAuthGuard],
})
export class AimServiceAuthModule extends AimServiceAuthConfigurableModule {}
