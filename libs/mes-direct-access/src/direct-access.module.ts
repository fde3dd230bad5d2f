import { Module } from '@nestjs/common';
import { MesUsersModule } from '@mes-web-api/mes-users';
import { DirectAccessController } from './direct-access.controller';
import { DirectAccessConfigurableModule } from './direct-access.options';
import { DirectAccessService } from './direct-access.service';

/**
 * DirectAccess (`api/v3/DirectAccess`, `api/DirectAccess`): named procedures of the MES database
 * with bound parameters, behind a privilege and an allow-list. Needs `MesDb` (MesDatabaseModule,
 * global), `MesTransactions` (MesTransactionsModule) and the aim-auth guard.
 */
@Module({
  imports: [MesUsersModule],
  controllers: [DirectAccessController],
  providers: [DirectAccessService],
  exports: [DirectAccessService],
})
export class DirectAccessModule extends DirectAccessConfigurableModule {}
