import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import {
  DbContext,
  DbSession,
  MesDb,
  MesError,
  MesErrorCode,
  MesPrincipal,
  mssqlDriverOf,
  sqliteConnectionOf,
  sqliteKeptRead,
  SqliteStatementLike,
  toSqliteDateTime,
} from '@mes-web-api/common';
import { INVALID } from '@mes-web-api/mes-methods';
import { MesTransactions } from '@mes-web-api/mes-transactions';
import { MesUsersService } from '@mes-web-api/mes-users';
import {
  AllowList,
  DirectAccessModuleOptions,
  InjectDirectAccessOptions,
} from './direct-access.options';
import { MssqlCatalog, MssqlProcedure } from './mssql-procedures';
import {
  loadProcedureDirectory,
  MES_USER_PARAMETER,
  PROCEDURE_NAME,
  ProcedureFile,
} from './procedure-file';

export type Row = Record<string, unknown>;

/** One DirectAccess call. */
export interface DirectAccessCall {
  readonly principal: MesPrincipal;
  /** `spName` as given. */
  readonly name: string;
  /** The parameters (names without `@`), JSON values. */
  readonly params: Readonly<Record<string, unknown>>;
  /** GET: read only (rows); POST: may write (result and output values). */
  readonly mode: 'read' | 'write';
  readonly maxRows?: number;
  readonly transId?: string;
}

/** GET: the rows. POST: `result` (rows written, or the procedure's return value) and output values. */
export type DirectAccessResult =
  | { readonly kind: 'rows'; readonly rows: readonly Row[] }
  | { readonly kind: 'result'; readonly result: unknown; readonly output: Row };

const NAME_SQL_SERVER = /^(?:([A-Za-z_][A-Za-z0-9_]{0,127})\.)?([A-Za-z_][A-Za-z0-9_]{0,127})$/;

function notOffered(name: string): MesError {
  return new MesError(
    MesErrorCode.RouteNotFound,
    `The procedure ${JSON.stringify(name.slice(0, 130))} does not exist or is not offered through DirectAccess.`,
  );
}

function badParameter(detail: string): MesError {
  return MesError.validation(detail, [detail]);
}

/** 409 with the database's own message (a constraint or a business rule the procedure raised). */
function procedureRefused(message: string, cause: unknown): MesError {
  return new MesError(MesErrorCode.BusinessRule, message, { cause });
}

/** Constraint failures and rules raised by the procedure (SQLite RAISE, T-SQL RAISERROR/THROW). */
function isBusinessRuleError(error: unknown): boolean {
  const e = error as { code?: unknown; number?: unknown; class?: unknown };
  if (typeof e.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT')) return true;
  if (typeof e.number === 'number') {
    return e.number >= 50000 || e.number === 547 || e.number === 2601 || e.number === 2627;
  }
  return false;
}

/** JSON-ready values: blobs as base64, dates as ISO text. */
function jsonRow(row: Row): Row {
  let copy: Row | undefined;
  for (const [key, value] of Object.entries(row)) {
    if (Buffer.isBuffer(value)) (copy ??= { ...row })[key] = value.toString('base64');
  }
  return copy ?? row;
}

/**
 * DirectAccess: a named procedure of the MES database, called with bound parameters. Raw
 * database access, so it needs its own privilege. SQL Server: `EXEC` of a procedure found in the
 * catalog (types from `sys.parameters`), the acting MES user in the session context
 * (`SESSION_CONTEXT(N'mes_user_id')`). SQLite (no procedures): SQL files of a directory, with
 * `:name` parameters and `:mes_user_id`. A GET never changes the database: on SQLite only a
 * read-only statement runs (the driver says whether it writes), on SQL Server the procedure runs
 * in a transaction that is rolled back.
 */
@Injectable()
export class DirectAccessService implements OnModuleInit {
  private readonly logger = new Logger('DirectAccess');
  private readonly allow: AllowList;
  private files = new Map<string, ProcedureFile>();
  private readonly prepared = new WeakMap<object, Map<string, SqliteStatementLike>>();
  private catalog?: MssqlCatalog;

  constructor(
    private readonly db: MesDb,
    private readonly transactions: MesTransactions,
    private readonly users: MesUsersService,
    @InjectDirectAccessOptions() private readonly options: DirectAccessModuleOptions,
  ) {
    this.allow = new AllowList(options.allow?.length ? options.allow : ['*']);
  }

  onModuleInit(): void {
    if (this.db.dialect === 'sqlite') {
      this.files = this.options.procedureDir
        ? loadProcedureDirectory(this.options.procedureDir)
        : new Map<string, ProcedureFile>();
      this.logger.log(
        `${this.files.size} procedure file(s)${this.options.procedureDir ? ` from ${this.options.procedureDir}` : ''}`,
      );
    } else {
      this.catalog = new MssqlCatalog(
        this.options.defaultSchema ?? 'dbo',
        this.options.catalogTtlMs ?? 60_000,
      );
    }
  }

  /** The procedures offered (SQLite files), for documentation. */
  procedureFiles(): ProcedureFile[] {
    return [...this.files.values()].filter((f) => this.allow.matches(f.name));
  }

  async run(call: DirectAccessCall): Promise<DirectAccessResult> {
    const work = (context: DbContext): Promise<DirectAccessResult> => this.runIn(context, call);
    if (call.transId !== undefined)
      return this.transactions.run(call.transId, call.principal, work);
    return work(this.db.auto);
  }

  /** Runs the call in `context` (an open transaction the caller manages, e.g. Idempotency-Key's). */
  async runIn(context: DbContext, call: DirectAccessCall): Promise<DirectAccessResult> {
    const privilege = this.options.privilege;
    await this.users.requirePrivilege(call.principal, privilege.id, privilege.name, context);
    return this.db.dialect === 'sqlite'
      ? this.runFile(context, call)
      : this.runProcedure(context, call);
  }

  // ---- SQLite: procedure files -------------------------------------------------------------

  private async runFile(context: DbContext, call: DirectAccessCall): Promise<DirectAccessResult> {
    if (!PROCEDURE_NAME.test(call.name)) throw notOffered(call.name);
    const file = this.files.get(call.name.toLowerCase());
    if (file === undefined || !this.allow.matches(file.name)) throw notOffered(call.name);
    const bound = this.bindFile(file, call);
    if (call.mode === 'read') {
      const statement = this.statement(context.db, file);
      if (!statement.readonly) {
        throw badParameter(
          `The procedure ${file.name} changes the database: call it with POST. Nothing was run.`,
        );
      }
      const read = (): Row[] => this.readRows(file, statement, bound, call.maxRows);
      // Kept while the database is unchanged, per bound values (the caller's user id among
      // them when the file uses it) and row limit; a file that reads the clock runs every time.
      const rows = file.volatile
        ? read()
        : sqliteKeptRead(
            context.db,
            `${file.name}\u0001${call.maxRows}\u0001${JSON.stringify(bound)}`,
            read,
          );
      return { kind: 'rows', rows };
    }
    return context.write((tx): DirectAccessResult => {
      const statement = this.statement(tx, file);
      try {
        if (statement.reader) {
          const rows = statement.all(bound) as Row[];
          return { kind: 'result', result: rows.length, output: rows[0] ? jsonRow(rows[0]) : {} };
        }
        return { kind: 'result', result: statement.run(bound).changes, output: {} };
      } catch (error) {
        if (isBusinessRuleError(error)) throw procedureRefused((error as Error).message, error);
        throw error;
      }
    });
  }

  private readRows(
    file: ProcedureFile,
    statement: SqliteStatementLike,
    bound: Row,
    maxRows: number | undefined,
  ): Row[] {
    try {
      const iterator = (statement as unknown as { iterate(p: Row): IterableIterator<Row> }).iterate(
        bound,
      );
      const rows: Row[] = [];
      for (const row of iterator) {
        rows.push(jsonRow(row));
        if (maxRows !== undefined && rows.length >= maxRows) {
          iterator.return?.();
          break;
        }
      }
      return rows;
    } catch (error) {
      if (isBusinessRuleError(error)) throw procedureRefused((error as Error).message, error);
      this.logger.error(`Procedure file ${file.file} failed: ${(error as Error).message}`);
      throw error;
    }
  }

  /** The statement of a file, prepared once per connection. */
  private statement(session: DbSession, file: ProcedureFile): SqliteStatementLike {
    const connection = sqliteConnectionOf(session);
    if (connection === undefined) throw new Error('DirectAccess: not a SQLite session');
    let statements = this.prepared.get(connection);
    if (statements === undefined) {
      statements = new Map();
      this.prepared.set(connection, statements);
    }
    let statement = statements.get(file.name);
    if (statement === undefined) {
      try {
        statement = connection.prepare(file.sql);
      } catch (error) {
        this.logger.error(
          `Procedure file ${file.file} cannot be prepared: ${(error as Error).message}`,
        );
        throw new MesError(
          MesErrorCode.Internal,
          `The procedure ${file.name} cannot run (see the server log).`,
          {
            cause: error,
          },
        );
      }
      statements.set(file.name, statement);
    }
    return statement;
  }

  /** The bound values: every declared parameter checked and converted, plus :mes_user_id. */
  private bindFile(file: ProcedureFile, call: DirectAccessCall): Row {
    const bound: Row = {};
    const problems: string[] = [];
    for (const name of Object.keys(call.params)) {
      if (name === MES_USER_PARAMETER || !file.params.some((p) => p.name === name)) {
        problems.push(`${name} is not a parameter of the procedure ${file.name}`);
      }
    }
    if (problems.length > 0) throw MesError.validation(problems.join('; '), problems);
    for (const param of file.params) {
      const raw = call.params[param.name];
      if (raw === undefined) {
        if (param.required) {
          throw new MesError(
            MesErrorCode.RouteNotFound,
            `The required parameter ${param.name} of the procedure ${file.name} is missing.`,
          );
        }
        bound[param.name] =
          param.defaultValue === undefined ? null : sqliteValue(param.defaultValue);
        continue;
      }
      if (raw === null) {
        bound[param.name] = null;
        continue;
      }
      const value = param.rule.fromJson(raw);
      if (value === INVALID) problems.push(`${param.name} must be ${param.rule.rule}`);
      else bound[param.name] = sqliteValue(value);
    }
    if (problems.length > 0) throw MesError.validation(problems.join('; '), problems);
    if (/:mes_user_id\b/.test(file.sql)) bound[MES_USER_PARAMETER] = call.principal.userId;
    return bound;
  }

  // ---- SQL Server: procedures of the MES database ------------------------------------------

  private async runProcedure(
    context: DbContext,
    call: DirectAccessCall,
  ): Promise<DirectAccessResult> {
    const match = NAME_SQL_SERVER.exec(call.name);
    if (!match) throw notOffered(call.name);
    const catalog = this.catalog as MssqlCatalog;
    const procedure = await catalog.find(context.db, match[1], match[2]);
    if (
      procedure === undefined ||
      (!this.allow.matches(procedure.qualifiedName) && !this.allow.matches(procedure.name))
    ) {
      throw notOffered(call.name);
    }
    const inputs = procedure.bind(call.params);
    const execute = async (session: DbSession): Promise<DirectAccessResult> => {
      const driver = mssqlDriverOf(session);
      if (driver === undefined) throw new Error('DirectAccess: not a SQL Server session');
      try {
        return await procedure.execute(
          driver,
          call.principal.userId,
          inputs,
          call.mode,
          call.maxRows,
        );
      } catch (error) {
        if (isBusinessRuleError(error)) throw procedureRefused((error as Error).message, error);
        throw error;
      }
    };
    if (call.mode === 'write') return context.write(execute);
    // A GET runs in a transaction (or savepoint) that is always rolled back.
    let answer: DirectAccessResult | undefined;
    try {
      await context.write(async (tx) => {
        answer = await execute(tx);
        throw READ_ONLY_ROLLBACK;
      });
    } catch (error) {
      if (error !== READ_ONLY_ROLLBACK) throw error;
    }
    return answer as DirectAccessResult;
  }
}

const READ_ONLY_ROLLBACK = new Error('DirectAccess GET: roll back');

function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return toSqliteDateTime(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export type { MssqlProcedure };
