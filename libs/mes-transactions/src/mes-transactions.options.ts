import { ConfigurableModuleBuilder, Inject } from '@nestjs/common';

export interface MesTransactionsModuleOptions {
  /** An idle transaction is rolled back after this long (MES_TRANSACTION_TIMEOUT_S, default 60 s). */
  idleTimeoutMs?: number;
  /** Any transaction is rolled back after this long in all (MES_TRANSACTION_MAX_S, default 300 s). */
  maxLifetimeMs?: number;
  /** Most open at once on this instance (MES_TRANSACTION_MAX_OPEN, default 50); then 503. */
  maxOpen?: number;
  /**
   * Names this instance inside its transaction ids, so a call that reaches another instance is
   * told so (MES_INSTANCE_ID; default: host name and port). Keep it stable across restarts.
   */
  instanceId: string;
  /** How long opening waits for the database (SQLite: the write lock). Default 5000 ms. */
  openWaitMs?: number;
  /** How long an Idempotency-Key's answer is kept (IDEMPOTENCY_TTL_S, default 24 h). */
  idempotencyTtlMs?: number;
}

export interface ResolvedMesTransactionsOptions {
  readonly idleTimeoutMs: number;
  readonly maxLifetimeMs: number;
  readonly maxOpen: number;
  readonly instanceId: string;
  readonly openWaitMs: number;
  readonly idempotencyTtlMs: number;
}

export class MesTransactionsConfigError extends Error {
  override readonly name = 'MesTransactionsConfigError';
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < 1) {
    throw new MesTransactionsConfigError(
      `MesTransactionsModule: ${name} must be a positive integer (got ${String(value)}).`,
    );
  }
  return resolved;
}

export function resolveMesTransactionsOptions(
  options: MesTransactionsModuleOptions,
): ResolvedMesTransactionsOptions {
  if (typeof options?.instanceId !== 'string' || options.instanceId.trim() === '') {
    throw new MesTransactionsConfigError(
      'MesTransactionsModule: instanceId is required (a stable name of this API instance, e.g. host:port).',
    );
  }
  const idleTimeoutMs = positive('idleTimeoutMs', options.idleTimeoutMs, 60_000);
  const maxLifetimeMs = positive('maxLifetimeMs', options.maxLifetimeMs, 300_000);
  if (maxLifetimeMs < idleTimeoutMs) {
    throw new MesTransactionsConfigError(
      'MesTransactionsModule: maxLifetimeMs must not be shorter than idleTimeoutMs.',
    );
  }
  return {
    idleTimeoutMs,
    maxLifetimeMs,
    maxOpen: positive('maxOpen', options.maxOpen, 50),
    instanceId: options.instanceId.trim(),
    openWaitMs: positive('openWaitMs', options.openWaitMs, 5_000),
    idempotencyTtlMs: positive('idempotencyTtlMs', options.idempotencyTtlMs, 24 * 3_600_000),
  };
}

export const {
  ConfigurableModuleClass: MesTransactionsConfigurableModule,
  MODULE_OPTIONS_TOKEN: MES_TRANSACTIONS_OPTIONS,
} = new ConfigurableModuleBuilder<MesTransactionsModuleOptions>({
  optionsInjectionToken: 'MES_TRANSACTIONS:OPTIONS',
})
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

export const InjectMesTransactionsOptions = (): ParameterDecorator =>
  Inject(MES_TRANSACTIONS_OPTIONS);
