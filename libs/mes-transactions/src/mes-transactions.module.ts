import { Module } from '@nestjs/common';
import { MesTransactionsConfigurableModule } from './mes-transactions.options';
import { MesTransactions } from './mes-transactions.service';
import { MesTransactionController } from './mes-transaction.controller';
import { MesIdempotency } from './mes-idempotency';

/**
 * MES transactions (`trans_id`): `POST api/v3/transaction`, `PUT api/v3/transaction?action=…`, and
 * `MesTransactions`, which runs calls inside them; `MesIdempotency` (Idempotency-Key), which runs
 * a keyed write once, in a transaction of its own or in the MES transaction it names. Needs `MesDb` (MesDatabaseModule) and a guard
 * that sets `request.mesUser` (aim-auth). Global by default, so the request path
 * (MesMethodsModule) and DirectAccess find the one `MesTransactions`.
 */
@Module({
  controllers: [MesTransactionController],
  providers: [MesTransactions, MesIdempotency],
  exports: [MesTransactions, MesIdempotency],
})
export class MesTransactionsModule extends MesTransactionsConfigurableModule {}
