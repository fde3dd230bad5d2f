import { Module } from '@nestjs/common';
import { MesUsersModule } from '@mes-web-api/mes-users';
import { AimUserAuthConfigurableModule } from './aim-user-auth.module-definition';
import { AimUserAuthGuard } from './aim-user-auth.guard';
import { AimUserStrategy } from './aim-user.strategy';
import { MesGroupDirectory } from './mes-group-directory';
import { MesUserDirectory } from './mes-user-directory';

/**
 * User access token mode: registers the `aim-user` strategy (token → active MES user). Needs
 * AimTokenModule (the shared verifier) and a TypeORM root connection for MesUsersModule.
 */
@Module({
  imports: [MesUsersModule],
  providers: [MesUserDirectory, MesGroupDirectory, AimUserStrategy, AimUserAuthGuard],
  exports: [AimUserAuthGuard],
})
export class AimUserAuthModule extends AimUserAuthConfigurableModule {}
