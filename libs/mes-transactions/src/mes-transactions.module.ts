import { Module } from '@nestjs/common';
import { MesTransactionsConfigurableModule } from './mes-transactions.options';
import { MesTransactions } from './mes-transactions.service';
import { MesTransactionController } from './mes-transaction.controller';

/**
 * MES transactions (`trans_id`): `POST api/v3/transaction`, `PUT api/v3/transaction?action=…`, and
 * `MesTransactions`, which runs calls inside them. Needs `MesDb` (MesDatabaseModule) and a guard
 * that sets `request.mesUser` (aim-auth). Global by default, so the request path
 * (MesMethodsModule) and DirectAccess find the one `MesTransactions`.
 */
@Module({
  controllers: [MesTransactionController],
  providers: [MesTransactions],
  exports: [MesTransactions],
})
export class MesTransactionsModule extends MesTransactionsConfigurableModule {}
