export { MesTransactionsModule } from './mes-transactions.module';
export {
  MesTransactions,
  type MesTransactionInfo,
  type MesTransactionsStats,
} from './mes-transactions.service';
export {
  MES_TRANSACTIONS_OPTIONS,
  MesTransactionsConfigError,
  type MesTransactionsModuleOptions,
} from './mes-transactions.options';
export { classifyTransactionId, newTransactionId, instanceTag } from './transaction-id';
export {
  MesTransactionController,
  MesTransactionModel,
  MesTransactionEndModel,
} from './mes-transaction.controller';
export {
  MesIdempotency,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_STATEMENTS,
  IDEMPOTENT_REPLAYED_HEADER,
  fingerprintOf,
  parseIdempotencyKey,
  type IdempotencyOutcome,
  type IdempotentAnswer,
  type IdempotentRequest,
} from './mes-idempotency';
