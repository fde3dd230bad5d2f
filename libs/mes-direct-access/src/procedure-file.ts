import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  boolRule,
  dateTimeRule,
  INT_MAX,
  intRule,
  numberRule,
  ParamRule,
  textRule,
} from '@mes-web-api/mes-methods';

/** The types a SQLite procedure file may declare for its parameters. */
export type ProcedureParamType = 'int' | 'float' | 'text' | 'bool' | 'datetime';

export interface ProcedureParam {
  readonly name: string;
  readonly type: ProcedureParamType;
  /** Without a default, the caller must give it. */
  readonly required: boolean;
  /** Given when the caller leaves it out (SQL NULL when the declaration says `= null`). */
  readonly defaultValue?: string | number | boolean | null;
  readonly rule: ParamRule<unknown>;
}

/** A named procedure of the embedded database: one SQL statement with `:name` parameters. */
export interface ProcedureFile {
  readonly name: string;
  readonly description: string;
  readonly params: readonly ProcedureParam[];
  readonly sql: string;
  readonly file: string;
  /**
   * Whether its rows may change while the database does not: it reads the clock ('now',
   * CURRENT_TIMESTAMP...) or random values. Such a read is run every time; others are kept while
   * the database is unchanged.
   */
  readonly volatile: boolean;
}

/**
 * SQL whose result can change without the database changing (SQLite's non-deterministic parts):
 * 'now' (also double-quoted), the date functions without a time value (which mean now: `date()`,
 * `strftime('%s')`), CURRENT_*, random values and the connection's change counters.
 */
const VOLATILE_SQL =
  /['"]now['"]|\b(?:date|time|datetime|julianday|unixepoch|timediff)\s*\(\s*\)|\bstrftime\s*\(\s*'(?:[^']|'')*'\s*\)|\b(?:current_(?:date|time|timestamp)|random|randomblob|changes|total_changes|last_insert_rowid|sqlite_offset)\b/i;

/** Whether `sql` reads the clock or random values (see ProcedureFile.volatile). */
export function isVolatileSql(sql: string): boolean {
  return VOLATILE_SQL.test(sql);
}

/** Names of procedures: letters, digits and `_`, like SQL identifiers; at most 128 characters. */
export const PROCEDURE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** The built-in parameter every procedure may use: the acting MES user (never given by callers). */
export const MES_USER_PARAMETER = 'mes_user_id';

export class ProcedureFileError extends Error {
  override readonly name = 'ProcedureFileError';
}

const PARAM_LINE =
  /^--\s*@param\s+([A-Za-z_][A-Za-z0-9_]*)\s+(int|float|text|bool|datetime)(?:\((\d+)\))?(?:\s*=\s*(null|-?\d+(?:\.\d+)?|true|false|'[^']*'))?\s*(?:--.*)?$/;

function ruleOf(type: ProcedureParamType, length: number | undefined): ParamRule<unknown> {
  switch (type) {
    case 'int':
      return intRule(-INT_MAX - 1, INT_MAX);
    case 'float':
      return numberRule();
    case 'text':
      return textRule(length ?? 4000);
    case 'bool':
      return boolRule();
    case 'datetime':
      return dateTimeRule();
  }
}

function literal(text: string): string | number | boolean | null {
  if (text === 'null') return null;
  if (text === 'true' || text === 'false') return text === 'true';
  if (text.startsWith("'")) return text.slice(1, -1);
  return Number(text);
}

/**
 * Reads one procedure file. Its header comments declare it:
 *
 * ```sql
 * -- A one-line description (the first comment line that is not an @param).
 * -- @param ent_id int                 required
 * -- @param state_cd int = null        optional, NULL when left out
 * -- @param note text(255) = ''        optional text of at most 255 characters
 * SELECT … WHERE run_ent_id = :ent_id AND (:state_cd IS NULL OR state_cd = :state_cd)
 * ```
 *
 * The rest is one SQL statement; it may use `:mes_user_id`, the acting MES user. Every `:name`
 * it uses must be declared (or be `:mes_user_id`), and every declared one used.
 */
export function parseProcedureFile(file: string, text: string): ProcedureFile {
  const name = basename(file).replace(/\.sql$/i, '');
  const fail = (why: string): never => {
    throw new ProcedureFileError(`DirectAccess procedure file ${file}: ${why}`);
  };
  if (!PROCEDURE_NAME.test(name)) {
    fail('the file name (the procedure name) must be letters, digits and _ only.');
  }
  const params: ProcedureParam[] = [];
  const description: string[] = [];
  const sqlLines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (sqlLines.length === 0 && trimmed.startsWith('--')) {
      if (/^--\s*@param\b/.test(trimmed)) {
        const match = PARAM_LINE.exec(trimmed);
        if (!match) fail(`cannot read the declaration ${JSON.stringify(trimmed)}.`);
        const [, paramName, type, length, dflt] = match as RegExpExecArray;
        if (paramName === MES_USER_PARAMETER)
          fail(`${MES_USER_PARAMETER} is built in; do not declare it.`);
        if (params.some((p) => p.name === paramName)) fail(`${paramName} is declared twice.`);
        params.push({
          name: paramName,
          type: type as ProcedureParamType,
          required: dflt === undefined,
          rule: ruleOf(
            type as ProcedureParamType,
            length === undefined ? undefined : Number(length),
          ),
          ...(dflt === undefined ? {} : { defaultValue: literal(dflt) }),
        });
      } else {
        const comment = trimmed.replace(/^--\s?/, '').trim();
        if (comment !== '') description.push(comment);
      }
      continue;
    }
    if (sqlLines.length === 0 && trimmed === '') continue;
    sqlLines.push(line);
  }
  const sql = sqlLines.join('\n').trim().replace(/;\s*$/, '');
  if (sql === '') fail('it has no SQL statement.');
  const used = new Set([...sql.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]));
  for (const param of params) {
    if (!used.has(param.name)) fail(`@param ${param.name} is declared but not used.`);
  }
  for (const usedName of used) {
    if (usedName !== MES_USER_PARAMETER && !params.some((p) => p.name === usedName)) {
      fail(`:${usedName} is used but not declared with -- @param.`);
    }
  }
  return {
    name,
    description: description.join(' '),
    params,
    sql,
    file,
    volatile: isVolatileSql(sql),
  };
}

/** Every `*.sql` file of the directory, by procedure name (case-insensitive). */
export function loadProcedureDirectory(dir: string): Map<string, ProcedureFile> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.sql'));
  } catch (error) {
    throw new ProcedureFileError(
      `DIRECT_ACCESS_DIR=${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): point it at a directory of .sql procedure files.`,
    );
  }
  const procedures = new Map<string, ProcedureFile>();
  for (const file of files.sort()) {
    const path = join(dir, file);
    const procedure = parseProcedureFile(path, readFileSync(path, 'utf8'));
    const key = procedure.name.toLowerCase();
    if (procedures.has(key)) {
      throw new ProcedureFileError(
        `DirectAccess procedure ${procedure.name} is defined twice in ${dir}.`,
      );
    }
    procedures.set(key, procedure);
  }
  return procedures;
}
