import { Module } from '@nestjs/common';
import { AimTokenConfigurableModule } from './aim-token.module-definition';
import { AimTokenVerifier } from './aim-token-verifier';

/**
 * Core of token authentication: provides the ONE `AimTokenVerifier` (global by default, so
 * `AimUserAuthModule` and `AimServiceAuthModule` share it). Options are validated at startup.
 */
@Module({
  providers: [AimTokenVerifier],
  exports: [AimTokenVerifier],
})
export class AimTokenModule extends AimTokenConfigurableModule {}
