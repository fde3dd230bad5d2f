import { Inject, Injectable } from '@nestjs/common';
import {
  DbContext,
  MesCaller,
  MesDb,
  MesError,
  MesPrincipal,
  MesErrorCode,
} from '@mes-web-api/common';
import {
  fingerprintOf,
  IDEMPOTENT_REPLAYED_HEADER,
  IdempotencyOutcome,
  MesIdempotency,
  MesTransactions,
} from '@mes-web-api/mes-transactions';
import { CompiledMesMethod, MesCall, MesPrivilegeRequirement } from '../registry/mes-method';
import { MesMethodRegistry } from '../registry/mes-method-registry';
import { COMMON_PARAMETERS, MesCommonOptions } from './common-options';
import { MES_METHOD_SERVICES, MES_PRIVILEGE_CHECK } from '../mes-methods.constants';

/** An answer ready to send: status and JSON text (none for 204). */
export interface MesAnswer {
  readonly status: number;
  readonly body?: string;
  /** Extra answer headers (a replayed Idempotency-Key answer says so). */
  readonly headers?: Readonly<Record<string, string>>;
}

const REPLAYED = Object.freeze({ [IDEMPOTENT_REPLAYED_HEADER]: 'true' });

/** The raw input of one call, as a route or MiddlewareAccess received it. */
export interface MesRawInput {
  /** Query parameters: text from a URL, or JSON values (MiddlewareAccess `parms`). */
  readonly query: unknown;
  readonly params?: unknown;
  readonly body?: unknown;
  /** The query/params members are JSON values, not text. */
  readonly jsonValues?: boolean;
}

/**
 * Checks that the caller's groups grant a privilege: 403 PRIVILEGE_MISSING otherwise. Provided by
 * the app. The caller is the principal: its token groups in OS Group mode, else its user id.
 */
export interface MesPrivilegeCheck {
  require(context: DbContext, caller: MesCaller, privilege: MesPrivilegeRequirement): Promise<void>;
}

const NO_CONTENT: MesAnswer = Object.freeze({ status: 204 });

/**
 * The one path every MES call takes, whichever way it came in (its V3/V1 route, MiddlewareAccess,
 * a MiddlewareAccess batch): parse and validate the input, find the MES transaction (`trans_id`),
 * check the privilege, run the handler, write the answer with the method's model.
 */
@Injectable()
export class MesMethodExecutor {
  constructor(
    readonly registry: MesMethodRegistry,
    private readonly db: MesDb,
    private readonly transactions: MesTransactions,
    private readonly idempotency: MesIdempotency,
    @Inject(MES_PRIVILEGE_CHECK) private readonly privileges: MesPrivilegeCheck,
    @Inject(MES_METHOD_SERVICES) private readonly services: unknown,
  ) {}

  /**
   * Runs one call: in the MES transaction `options.transId` names, else on its own; a write with
   * an Idempotency-Key runs once per key (MesIdempotency), fingerprinted by its parsed input, so
   * the route and MiddlewareAccess forms of one request are the same request.
   */
  run(
    method: CompiledMesMethod,
    principal: MesPrincipal,
    raw: MesRawInput,
    options: MesCommonOptions,
  ): Promise<MesAnswer> {
    const input = this.parse(method, raw);
    const work = (context: DbContext): Promise<MesAnswer> =>
      this.call(method, principal, input, options, context);
    if (options.idempotencyKey !== undefined && method.definition.verb !== 'GET') {
      return this.once(options, principal, [method.name, input], work);
    }
    if (options.transId !== undefined) {
      return this.transactions.run(options.transId, principal, work);
    }
    return work(this.db.auto);
  }

  /**
   * Runs several calls in one database transaction (a MiddlewareAccess batch): all or nothing.
   * Inside an MES transaction they run in it, under one savepoint. A failure names the command.
   * Answers a JSON array with one entry per command (null for a command that answers nothing).
   */
  runBatch(
    commands: ReadonlyArray<{ method: CompiledMesMethod; raw: MesRawInput }>,
    principal: MesPrincipal,
    options: MesCommonOptions,
  ): Promise<MesAnswer> {
    const inputs = commands.map(({ method, raw }, index) =>
      batchStep(index, method, () => this.parse(method, raw)),
    );
    const work = async (context: DbContext): Promise<MesAnswer> => {
      const answers = await context.write(async (tx) => {
        const inner: DbContext = {
          db: tx,
          inTransaction: true,
          write: async (step) => step(tx),
        };
        const done: MesAnswer[] = [];
        for (let i = 0; i < commands.length; i++) {
          const { method } = commands[i];
          done.push(
            await batchStepAsync(i, method, () =>
              this.call(method, principal, inputs[i], options, inner),
            ),
          );
        }
        return done;
      });
      return { status: 200, body: `[${answers.map((a) => a.body ?? 'null').join(',')}]` };
    };
    if (options.idempotencyKey !== undefined) {
      const parts = commands.map(({ method }, i) => [method.name, inputs[i]]);
      return this.once(options, principal, ['MiddlewareAccess batch', parts], work);
    }
    if (options.transId !== undefined) {
      return this.transactions.run(options.transId, principal, work);
    }
    return work(this.db.auto);
  }

  /** `work` once per Idempotency-Key (in the MES transaction, when one is named). */
  private async once(
    options: MesCommonOptions,
    principal: MesPrincipal,
    request: unknown,
    work: (context: DbContext) => Promise<MesAnswer>,
  ): Promise<MesAnswer> {
    const outcome: IdempotencyOutcome = await this.idempotency.run(
      {
        key: options.idempotencyKey as string,
        principal,
        transId: options.transId,
        fingerprint: fingerprintOf(request),
      },
      work,
    );
    return outcome.replayed
      ? { status: outcome.status, body: outcome.body, headers: REPLAYED }
      : { status: outcome.status, body: outcome.body };
  }

  /** The method's input from the raw members; throws the 400/404 problem. */
  parse(method: CompiledMesMethod, raw: MesRawInput): ParsedInput {
    return {
      query: method.query.parse(raw.query, COMMON_PARAMETERS, raw.jsonValues),
      params: method.params.parse(raw.params ?? {}, undefined, raw.jsonValues),
      body: method.body === undefined ? {} : method.body.parse(raw.body),
    };
  }

  private async call(
    method: CompiledMesMethod,
    principal: MesPrincipal,
    input: ParsedInput,
    options: MesCommonOptions,
    context: DbContext,
  ): Promise<MesAnswer> {
    const definition = method.definition;
    if (definition.privilege !== undefined) {
      await this.privileges.require(context, principal, definition.privilege);
    }
    const call: MesCall = {
      principal,
      userId: principal.userId,
      maxRows: options.maxRows,
      timeZone: options.timeZone,
      db: context.db,
      inTransaction: context.inTransaction,
      write: context.write,
    };
    const result: unknown = await definition.handle(this.services, call, input as never);
    const spec = definition.result;
    switch (spec.kind) {
      case 'none':
        return NO_CONTENT;
      case 'one':
        if (result === undefined || result === null) throw MesError.entityNotFound();
        return {
          status: 200,
          body: spec.model.json(result as Record<string, unknown>, options.timeZone),
        };
      case 'oneOrList':
      case 'list': {
        if (spec.kind === 'oneOrList' && !Array.isArray(result)) {
          if (result === undefined || result === null) throw MesError.entityNotFound();
          return {
            status: 200,
            body: spec.model.json(result as Record<string, unknown>, options.timeZone),
          };
        }
        const rows = result as ReadonlyArray<Record<string, unknown>>;
        if (rows.length === 0) return NO_CONTENT;
        return { status: 200, body: spec.model.jsonList(rows, options.timeZone) };
      }
    }
  }
}

interface ParsedInput {
  readonly query: unknown;
  readonly params: unknown;
  readonly body: unknown;
}

function batchFailure(index: number, method: CompiledMesMethod, error: unknown): unknown {
  if (!(error instanceof MesError)) return error;
  return new MesError(
    error.code,
    `Command ${index + 1} (${method.objectCommand}) failed: ${error.detail} Nothing was written.`,
    {
      headers: { ...error.headers },
      extensions: Object.assign({}, error.extensions, {
        failed_command: index + 1,
        failed_object_command: method.objectCommand,
      }),
      cause: error,
    },
  );
}

function batchStep<T>(index: number, method: CompiledMesMethod, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw batchFailure(index, method, error);
  }
}

async function batchStepAsync<T>(
  index: number,
  method: CompiledMesMethod,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw batchFailure(index, method, error);
  }
}

/** 404 for a MiddlewareAccess command that names no method. */
export function unknownCommand(detail: string): MesError {
  return new MesError(MesErrorCode.RouteNotFound, detail);
}
