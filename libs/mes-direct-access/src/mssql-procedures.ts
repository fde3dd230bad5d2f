import { DbSession, MesError, MssqlDriverAccess, MssqlRequestLike, sql, T } from '@mes-web-api/common';
import {
  boolRule,
  dateTimeRule,
  intRule,
  INVALID,
  numberRule,
  ParamRule,
  stringRule,
  textRule,
} from '@mes-web-api/mes-methods';

/** One row of the catalog query: a procedure and one of its parameters. */
export interface CatalogRow {
  schema_name: string;
  proc_name: string;
  param_name: string | null;
  type_name: string | null;
  max_length: number | null;
  precision: number | null;
  scale: number | null;
  is_output: boolean | number | null;
}

/**
 * A procedure of the MES database and its parameters, from the catalog: the procedure must be
 * the database's own (`is_ms_shipped = 0`, not in schema `sys`).
 */
export const procedureCatalog = sql<CatalogRow, { schema: string; name: string }>(
  'direct_access.catalog',
  `SELECT s.name AS schema_name, p.name AS proc_name, pa.name AS param_name, t.name AS type_name,
          pa.max_length, pa.precision, pa.scale, pa.is_output
     FROM sys.procedures p
     JOIN sys.schemas s ON s.schema_id = p.schema_id
     LEFT JOIN sys.parameters pa ON pa.object_id = p.object_id
     LEFT JOIN sys.types t ON t.user_type_id = pa.user_type_id
    WHERE p.is_ms_shipped = 0 AND s.name <> 'sys' AND s.name = @schema AND p.name = @name
    ORDER BY pa.parameter_id`,
  { schema: T.nvarchar(128), name: T.nvarchar(128) },
);

/** How a parameter of a SQL Server type is read from JSON and bound. */
interface ParamKind {
  readonly rule: ParamRule<unknown>;
  /** The mssql type name and its arguments (`NVarChar`, [40]). */
  readonly driverType: readonly [string, ...number[]];
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The types DirectAccess binds; anything else is refused with a message naming it. */
export function paramKind(row: CatalogRow): ParamKind | undefined {
  const chars = (bytesPerChar: number): number =>
    row.max_length === -1 || row.max_length === null ? 2 ** 30 : row.max_length / bytesPerChar;
  switch ((row.type_name ?? '').toLowerCase()) {
    case 'int':
      return { rule: intRule(-2_147_483_648, 2_147_483_647), driverType: ['Int'] };
    case 'smallint':
      return { rule: intRule(-32_768, 32_767), driverType: ['SmallInt'] };
    case 'tinyint':
      return { rule: intRule(0, 255), driverType: ['TinyInt'] };
    case 'bigint':
      return {
        rule: intRule(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
        driverType: ['BigInt'],
      };
    case 'bit':
      return { rule: boolRule(), driverType: ['Bit'] };
    case 'float':
    case 'real':
      return { rule: numberRule(), driverType: ['Float'] };
    case 'decimal':
    case 'numeric':
    case 'money':
      return {
        rule: numberRule(),
        driverType: ['Decimal', row.precision ?? 18, row.scale ?? 0],
      };
    case 'nvarchar':
    case 'nchar':
      return {
        rule: textRule(chars(2)),
        driverType: ['NVarChar', row.max_length === -1 ? -1 : chars(2)],
      };
    case 'varchar':
    case 'char':
      return {
        rule: textRule(chars(1)),
        driverType: ['VarChar', row.max_length === -1 ? -1 : chars(1)],
      };
    case 'datetime':
    case 'datetime2':
    case 'smalldatetime':
    case 'date':
      return { rule: dateTimeRule(), driverType: ['DateTime2'] };
    case 'uniqueidentifier':
      return {
        rule: stringRule({ min: 36, max: 36, pattern: GUID, patternRule: 'a GUID' }),
        driverType: ['UniqueIdentifier'],
      };
    default:
      return undefined;
  }
}

export interface BoundParam {
  readonly name: string;
  readonly kind: ParamKind;
  readonly value: unknown;
  readonly output: boolean;
}

/** The mssql driver's type for a kind (`mssql.NVarChar(40)`, `mssql.NVarChar(mssql.MAX)` …). */
function driverTypeOf(
  mssql: Record<string, unknown>,
  [name, ...args]: ParamKind['driverType'],
): unknown {
  const type = mssql[name];
  if (typeof type !== 'function' || args.length === 0) return type;
  const resolved = args.map((a) => (a === -1 ? mssql.MAX : a));
  return (type as (...a: unknown[]) => unknown)(...resolved);
}

/** A procedure as the catalog describes it. */
export class MssqlProcedure {
  constructor(
    readonly schema: string,
    readonly name: string,
    readonly params: ReadonlyArray<{
      name: string;
      kind?: ParamKind;
      typeName: string;
      output: boolean;
    }>,
  ) {}

  get qualifiedName(): string {
    return `${this.schema}.${this.name}`;
  }

  /**
   * The call's values checked against the parameters (names without `@`): unknown names and
   * wrong types are 400s; a parameter left out takes the procedure's own default (SQL Server
   * answers the call with its message when it has none).
   */
  bind(values: Readonly<Record<string, unknown>>): BoundParam[] {
    const problems: string[] = [];
    const byName = new Map(this.params.map((p) => [p.name.toLowerCase(), p]));
    for (const name of Object.keys(values)) {
      if (!byName.has(name.toLowerCase())) {
        problems.push(`${name} is not a parameter of the procedure ${this.qualifiedName}`);
      }
    }
    const bound: BoundParam[] = [];
    for (const param of this.params) {
      const entry = Object.entries(values).find(
        ([name]) => name.toLowerCase() === param.name.toLowerCase(),
      );
      if (param.kind === undefined) {
        if (entry !== undefined || !param.output) {
          problems.push(
            `${param.name} has the type ${param.typeName}, which DirectAccess does not bind`,
          );
        }
        continue;
      }
      if (entry === undefined) {
        if (param.output)
          bound.push({ name: param.name, kind: param.kind, value: undefined, output: true });
        continue;
      }
      const raw = entry[1];
      const value = raw === null ? null : param.kind.rule.fromJson(raw);
      if (value === INVALID) {
        problems.push(`${param.name} must be ${param.kind.rule.rule}`);
        continue;
      }
      bound.push({ name: param.name, kind: param.kind, value, output: param.output });
    }
    if (problems.length > 0) throw MesError.validation(problems.join('; '), problems);
    return bound;
  }

  /**
   * EXEC on the session's connection: first the acting user into the session context
   * (`sp_set_session_context N'mes_user_id'`), then the procedure by RPC with every parameter
   * bound with its catalog type. No SQL text is built from the request.
   */
  async execute(
    driver: MssqlDriverAccess,
    userId: string,
    inputs: readonly BoundParam[],
    mode: 'read' | 'write',
    maxRows: number | undefined,
  ): Promise<
    | { kind: 'rows'; rows: Record<string, unknown>[] }
    | { kind: 'result'; result: unknown; output: Record<string, unknown> }
  > {
    const mssql = driver.mssql as unknown as Record<string, unknown>;
    await (driver.request() as ExecutableRequest)
      .input('key', driverTypeOf(mssql, ['NVarChar', 128]), 'mes_user_id')
      .input('value', driverTypeOf(mssql, ['NVarChar', 40]), userId)
      .execute('sys.sp_set_session_context');
    const call = driver.request() as ExecutableRequest;
    for (const param of inputs) {
      const type = driverTypeOf(mssql, param.kind.driverType);
      if (param.output) call.output(param.name, type, param.value);
      else call.input(param.name, type, param.value);
    }
    const result = await call.execute(`[${this.schema}].[${this.name}]`);
    if (mode === 'read') {
      const rows = result.recordset ?? [];
      return { kind: 'rows', rows: maxRows === undefined ? rows : rows.slice(0, maxRows) };
    }
    return {
      kind: 'result',
      result: result.returnValue ?? 0,
      output: { ...(result.output ?? {}) },
    };
  }
}

/** The mssql request API DirectAccess uses beyond plain queries. */
interface ExecutableRequest extends MssqlRequestLike {
  output(name: string, type: unknown, value?: unknown): ExecutableRequest;
  input(name: string, type: unknown, value: unknown): ExecutableRequest;
  execute(procedure: string): Promise<{
    recordset?: Record<string, unknown>[];
    returnValue?: unknown;
    output?: Record<string, unknown>;
  }>;
}

/** The catalog lookups, kept for a while (procedures rarely change under a running API). */
export class MssqlCatalog {
  private readonly kept = new Map<string, { at: number; procedure?: MssqlProcedure }>();

  constructor(
    private readonly defaultSchema: string,
    private readonly ttlMs: number,
  ) {}

  async find(
    session: DbSession,
    schema: string | undefined,
    name: string,
  ): Promise<MssqlProcedure | undefined> {
    const key = `${(schema ?? this.defaultSchema).toLowerCase()}.${name.toLowerCase()}`;
    const now = Date.now();
    const hit = this.kept.get(key);
    if (hit !== undefined && now - hit.at < this.ttlMs) return hit.procedure;
    const rows = await session.all(procedureCatalog, {
      schema: schema ?? this.defaultSchema,
      name,
    });
    const procedure =
      rows.length === 0
        ? undefined
        : new MssqlProcedure(
            rows[0].schema_name,
            rows[0].proc_name,
            rows
              .filter((r) => r.param_name !== null)
              .map((r) => ({
                name: (r.param_name as string).replace(/^@/, ''),
                kind: paramKind(r),
                typeName: r.type_name ?? '?',
                output: Boolean(r.is_output),
              })),
          );
    if (this.kept.size > 1000) this.kept.clear();
    this.kept.set(key, { at: now, procedure });
    return procedure;
  }
}
