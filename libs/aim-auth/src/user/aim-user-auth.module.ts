import { Module } from '@nestjs/common';
import { AimUserAuthConfigurableModule } from './aim-user-auth.module-definition';
import { AimUserAuthGuard } from './aim-user-auth.guard';
import { AimUserStrategy } from './aim-user.strategy';
import { MesGroupDirectory } from './mes-group-directory';
import { MesUserDirectory } from './mes-user-directory';

/**
 * User access token mode: registers the `aim-user` strategy (token → active user). Needs
 * AimTokenModule (the shared verifier). By default the user must be an active MES user
 * (MesUsersModule, so `MesDb` from MesDatabaseModule); `forRoot({ users, privileges })` replaces
 * the user check and the privileges of `@RequirePrivilege()` (see AimUserAuthModuleExtras).
 */
@Module({
  providers: [MesUserDirectory, MesGroupDirectory, AimUserStrategy, AimUserAuthGuard],
  exports: [AimUserAuthGuard, MesUserDirectory],
})
export class AimUserAuthModule extends AimUserAuthConfigurableModule {}
