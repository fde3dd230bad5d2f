/** The two databases the API runs on: SQLite (embedded default) and SQL Server (production). */
export type Dialect = 'sqlite' | 'mssql';

/**
 * The SQL type of a bound parameter. SQL Server binds every parameter with its declared type
 * (`nvarchar(40)`, `int` …), so a plan is reused for every value and no implicit conversion
 * defeats an index; SQLite converts `Date` to the stored text and `boolean` to 1/0.
 */
export type SqlType =
  | { readonly kind: 'int' }
  | { readonly kind: 'float' }
  | { readonly kind: 'nvarchar'; readonly length: number | 'max' }
  | { readonly kind: 'datetime' }
  /** A row limit (`max_rows`): `undefined` binds "no limit". */
  | { readonly kind: 'limit' };

export const T = {
  int: { kind: 'int' },
  float: { kind: 'float' },
  datetime: { kind: 'datetime' },
  limit: { kind: 'limit' },
  nvarchar: (length: number | 'max'): SqlType => ({ kind: 'nvarchar', length }),
} as const satisfies Record<string, SqlType | ((length: number | 'max') => SqlType)>;

/** Values a statement's parameters accept. */
export type SqlValue = string | number | boolean | Date | null | undefined;
export type StatementParams = Readonly<Record<string, SqlValue>>;

/** A row as the driver returns it: column name → value. */
export type DbRow = Record<string, unknown>;

type ParamTypes<P> = { readonly [K in keyof P]-?: SqlType };

let nextId = 0;

/**
 * One SQL statement, written once with `@name` parameters (both drivers bind them by name) and
 * rendered once per dialect: the text never depends on the values, so SQLite prepares it once per
 * connection and SQL Server caches one plan for it. `sql` is a function of the dialect where the
 * two differ (row limits, `RETURNING` / `OUTPUT`). Values are always bound, never written into
 * the text.
 */
export class Statement<P extends object = StatementParams, R = DbRow> {
  /** Unique per statement: the key of prepared statements and cached results. */
  readonly id: number = ++nextId;
  private readonly texts = new Map<Dialect, string>();
  /** The parameter names in a fixed order (the cache key of a result lists values in it). */
  readonly paramNames: readonly (keyof P & string)[];
  /** Phantom member carrying the row type. */
  declare readonly __row?: R;

  constructor(
    /** A stable name for logs and goldens, e.g. `ent.byKey`. */
    readonly name: string,
    private readonly sql: string | ((dialect: Dialect) => string),
    readonly params: ParamTypes<P>,
  ) {
    this.paramNames = Object.keys(params) as (keyof P & string)[];
  }

  /** The statement's text for `dialect`, rendered once. */
  text(dialect: Dialect): string {
    let text = this.texts.get(dialect);
    if (text === undefined) {
      text = normalizeSpace(typeof this.sql === 'string' ? this.sql : this.sql(dialect));
      for (const name of this.paramNames) {
        if (!new RegExp(`@${name}\\b`).test(text)) {
          throw new Error(`Statement ${this.name}: parameter @${name} is not used in its SQL.`);
        }
      }
      this.texts.set(dialect, text);
    }
    return text;
  }
}

function normalizeSpace(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

/** A statement with no parameters. */
export function sql<R = DbRow>(
  name: string,
  text: string | ((dialect: Dialect) => string),
): Statement<Record<string, never>, R>;
/** A statement with the given parameters (name → SQL type). */
export function sql<R = DbRow, P extends object = StatementParams>(
  name: string,
  text: string | ((dialect: Dialect) => string),
  params: ParamTypes<P>,
): Statement<P, R>;
export function sql<R, P extends object>(
  name: string,
  text: string | ((dialect: Dialect) => string),
  params?: ParamTypes<P>,
): Statement<P, R> {
  return new Statement<P, R>(name, text, params ?? ({} as ParamTypes<P>));
}

/**
 * Statements whose text depends on a shape (which optional filters a request gives), each built
 * once per shape on first use and reused: `family.get(['parentEntId', 'canRunJobs'])`.
 */
export class StatementFamily<S extends string, P extends object, R> {
  private readonly built = new Map<string, Statement<P, R>>();

  constructor(private readonly build: (shape: readonly S[]) => Statement<P, R>) {}

  get(shape: readonly S[]): Statement<P, R> {
    const key = shape.join(',');
    let statement = this.built.get(key);
    if (statement === undefined) {
      statement = this.build(shape);
      this.built.set(key, statement);
    }
    return statement;
  }
}

/** `TOP (@maxRows) ` on SQL Server (after SELECT / SELECT DISTINCT); nothing on SQLite. */
export function top(dialect: Dialect, param = 'maxRows'): string {
  return dialect === 'mssql' ? `TOP (@${param}) ` : '';
}

/** ` LIMIT @maxRows` on SQLite (at the end); nothing on SQL Server (see `top`). */
export function limit(dialect: Dialect, param = 'maxRows'): string {
  return dialect === 'sqlite' ? ` LIMIT @${param}` : '';
}

/**
 * `INSERT INTO table (columns) VALUES (@columns)` answering the generated key as one row named
 * `id`: `RETURNING` on SQLite; on SQL Server `OUTPUT … INTO` a table variable, then a SELECT of
 * it (a plain OUTPUT clause fails on a table with triggers, which the MES database may have).
 */
export function insertReturningId(
  dialect: Dialect,
  table: string,
  columns: readonly string[],
  idColumn: string,
): string {
  const names = columns.join(', ');
  const values = columns.map((c) => `@${c}`).join(', ');
  return dialect === 'mssql'
    ? `DECLARE @inserted TABLE (id int);\nINSERT INTO ${table} (${names}) OUTPUT INSERTED.${idColumn} INTO @inserted VALUES (${values});\nSELECT id FROM @inserted`
    : `INSERT INTO ${table} (${names}) VALUES (${values}) RETURNING ${idColumn} AS id`;
}

/** `INSERT INTO table (columns) VALUES (@columns)`. */
export function insertInto(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`;
}
