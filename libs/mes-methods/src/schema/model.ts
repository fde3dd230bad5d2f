import { dbDateTimeToIso, dbDateTimeToMs, jsonStringText } from '@mes-web-api/common';
import type { JsonSchema } from './params';
import { localIso } from './time-zones';

type Row = Record<string, unknown>;

/** How a member of an answer is written. */
type OutKind = 'int' | 'number' | 'string' | 'flag' | 'bool' | 'datetime' | 'object' | 'json';

interface OutOptions {
  readonly nullable: boolean;
  /** The row member it is read from (default: the member's own name). */
  readonly from?: string;
  /** Computes the value from the row instead. */
  readonly get?: (row: Row) => unknown;
  readonly description?: string;
  readonly example?: unknown;
  readonly enumValues?: readonly unknown[];
  /** For `object`: the nested model. */
  readonly model?: Model;
  /** For `json`: its schema. */
  readonly schema?: JsonSchema;
}

/** One member of an answer model. Immutable. */
export class Out {
  constructor(
    readonly kind: OutKind,
    readonly options: OutOptions = { nullable: false },
  ) {}

  nullable(): Out {
    return new Out(this.kind, { ...this.options, nullable: true });
  }
  /** Read from another row member. */
  from(member: string): Out {
    return new Out(this.kind, { ...this.options, from: member });
  }
  /** Computed from the row: a function of the row alone (a frozen row's text is kept). */
  get(fn: (row: Row) => unknown): Out {
    return new Out(this.kind, { ...this.options, get: fn });
  }
  describe(description: string): Out {
    return new Out(this.kind, { ...this.options, description });
  }
  example(example: unknown): Out {
    return new Out(this.kind, { ...this.options, example });
  }
  oneOf(values: readonly unknown[]): Out {
    return new Out(this.kind, { ...this.options, enumValues: values });
  }
}

/** Builders of answer members. */
export const o = {
  int: () => new Out('int'),
  /** A float column (quantities). */
  number: () => new Out('number'),
  string: () => new Out('string'),
  /** A 1/0 MES flag column, answered as a boolean. */
  flag: () => new Out('flag'),
  bool: () => new Out('bool'),
  /**
   * A datetime column, answered as `<name>_utc` (ISO 8601, UTC) and, when the request gives
   * `tz_id`, `<name>_local` (wall-clock time in that zone). Reads the row member `<name>`
   * unless `from` says otherwise.
   */
  datetime: () => new Out('datetime'),
  /** A nested answer (read from the row member of the same name, or `from`/`get`). */
  object: (model: Model) => new Out('object', { nullable: false, model }),
  /** A value written as JSON as it is, with its schema. */
  json: (schema: JsonSchema) => new Out('json', { nullable: false, schema }),
};

type Writer = (row: Row, zone: string | undefined) => string;

/** Members whose text depends on the row's own value alone (numbers, strings, flags, dates). */
const SCALAR_KINDS: ReadonlySet<OutKind> = new Set<OutKind>([
  'int',
  'number',
  'string',
  'flag',
  'bool',
  'datetime',
]);

function jsonString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return jsonStringText(value);
  return JSON.stringify(
    typeof value === 'number' || typeof value === 'boolean' ? `${value}` : null,
  );
}

function jsonNumber(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? String(n) : 'null';
}

/**
 * The JSON shape of an answer (`EntModel`, `JobModel` …), compiled once into a writer that turns
 * a database row into JSON text member by member (no intermediate object, no generic
 * `JSON.stringify` walk), and into the JSON Schema the Swagger file shows. The members come out
 * in the order they are declared.
 */
export class Model {
  private readonly write: Writer;
  readonly members: Readonly<Record<string, Out>>;
  /** The texts written for frozen rows and lists, by time zone ('' for none); see `json`. */
  private readonly written?: Map<string, WeakMap<object, string>>;

  constructor(
    /** The schema's name in the Swagger file's components. */
    readonly name: string,
    members: Record<string, Out>,
    readonly description?: string,
  ) {
    this.members = members;
    this.write = compileWriter(members);
    // Only a model of plain values is a function of the row's own members alone (a nested or
    // JSON member could be a mutable object, even in a frozen row).
    if (Object.values(members).every((out) => SCALAR_KINDS.has(out.kind))) {
      this.written = new Map();
    }
  }

  /**
   * The row as this model's JSON text; `zone` (IANA) adds the `<col>_local` members.
   *
   * A frozen row (a kept SQLite read shares its frozen rows among callers until the database
   * changes) cannot change, so its text is written once per zone and then reused, for as long
   * as the row itself is alive (weakly held: dropping the kept read drops the text).
   */
  json(row: Row, zone?: string): string {
    const written = this.writtenFor(zone);
    let text = written?.get(row);
    if (text !== undefined) return text;
    text = this.write(row, zone);
    // Only a frozen row's text is kept (a kept text means the row was frozen: that lasts).
    if (written !== undefined && Object.isFrozen(row)) written.set(row, text);
    return text;
  }

  /** The rows as a JSON array of this model (a frozen list's text is reused like a row's). */
  jsonList(rows: readonly Row[], zone?: string): string {
    const written = this.writtenFor(zone);
    let text = written?.get(rows);
    if (text !== undefined) return text;
    text = '[';
    for (let i = 0; i < rows.length; i++) {
      if (i > 0) text += ',';
      text += this.json(rows[i], zone);
    }
    text += ']';
    if (written !== undefined && Object.isFrozen(rows)) written.set(rows, text);
    return text;
  }

  /** Where the texts of frozen rows and lists are kept for `zone`; undefined: never kept. */
  private writtenFor(zone: string | undefined): WeakMap<object, string> | undefined {
    const written = this.written;
    if (written === undefined) return undefined;
    const key = zone ?? '';
    let byRow = written.get(key);
    if (byRow === undefined) {
      byRow = new WeakMap();
      written.set(key, byRow);
    }
    return byRow;
  }

  /** JSON Schema of the model (its `$ref` target in the Swagger file). */
  schema(): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const [key, out] of Object.entries(this.members)) {
      if (out.kind === 'datetime') {
        properties[`${key}_utc`] = withOptions(
          { type: 'string', format: 'date-time', description: 'UTC (ISO 8601).' },
          out,
        );
        properties[`${key}_local`] = {
          type: 'string',
          nullable: true,
          description: 'Wall-clock time in the tz_id zone; only when tz_id is given.',
        };
        required.push(`${key}_utc`);
        continue;
      }
      properties[key] = withOptions(memberSchema(out), out);
      required.push(key);
    }
    const schema: JsonSchema = { type: 'object', properties, required };
    if (this.description) schema.description = this.description;
    return schema;
  }

  /** This model and every model nested in it, by name. */
  modelsByName(into = new Map<string, Model>()): Map<string, Model> {
    if (into.has(this.name)) return into;
    into.set(this.name, this);
    for (const out of Object.values(this.members)) out.options.model?.modelsByName(into);
    return into;
  }
}

/** Shorthand: `model('EntModel', { ent_id: o.int(), … })`. */
export function model(name: string, members: Record<string, Out>, description?: string): Model {
  return new Model(name, members, description);
}

function memberSchema(out: Out): JsonSchema {
  switch (out.kind) {
    case 'int':
      return { type: 'integer' };
    case 'number':
      return { type: 'number' };
    case 'string':
      return { type: 'string' };
    case 'flag':
    case 'bool':
      return { type: 'boolean' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'object':
      return { $ref: `#/components/schemas/${(out.options.model as Model).name}` };
    case 'json':
      return { ...(out.options.schema as JsonSchema) };
  }
}

function withOptions(schema: JsonSchema, out: Out): JsonSchema {
  const result = { ...schema };
  if (out.options.nullable) {
    if (typeof result.$ref === 'string') return { allOf: [result], nullable: true };
    result.nullable = true;
  }
  if (out.options.description) result.description = out.options.description;
  if (out.options.example !== undefined) result.example = out.options.example;
  if (out.options.enumValues) result.enum = [...out.options.enumValues];
  return result;
}

/** What a compiled writer calls: the value formatters and the members' own functions. */
const FORMAT = {
  number: jsonNumber,
  string: jsonString,
  flag(value: unknown, nullable: boolean): string {
    if (value === null || value === undefined) return nullable ? 'null' : 'false';
    return Number(value) !== 0 ? 'true' : 'false';
  },
  bool(value: unknown): string {
    return value === null || value === undefined ? 'null' : value ? 'true' : 'false';
  },
  utc(value: unknown): string {
    const iso = dbDateTimeToIso(value);
    return iso === null ? 'null' : `"${iso}"`;
  },
  local(value: unknown, zone: string): string {
    const ms = dbDateTimeToMs(value);
    return Number.isNaN(ms) ? 'null' : `"${localIso(ms, zone)}"`;
  },
  json(value: unknown): string {
    return value === undefined ? 'null' : JSON.stringify(value);
  },
  object(value: unknown, nested: Model, zone: string | undefined): string {
    return value === null || value === undefined ? 'null' : nested.json(value as Row, zone);
  },
};

/**
 * Compiles the members into one function that reads each row member by its literal name (one
 * property load per member, which V8 keeps monomorphic for the rows of one statement) and joins
 * the pieces into the JSON text; the formatting itself is done by the FORMAT functions. Names
 * and texts enter the generated code only as JSON string literals.
 */
function compileWriter(members: Record<string, Out>): Writer {
  const extras: unknown[] = [];
  const extra = (value: unknown): string => `x[${extras.push(value) - 1}]`;
  const lines: string[] = ["let t = '{';"];
  Object.entries(members).forEach(([key, out], index) => {
    const comma = index === 0 ? '' : ',';
    const name = (suffix = ''): string =>
      JSON.stringify(`${comma}${JSON.stringify(key + suffix)}:`);
    const get = out.options.get;
    const read =
      get !== undefined ? `${extra(get)}(row)` : `row[${JSON.stringify(out.options.from ?? key)}]`;
    switch (out.kind) {
      case 'int':
      case 'number':
        lines.push(`t += ${name()} + f.number(${read});`);
        break;
      case 'string':
        lines.push(`t += ${name()} + f.string(${read});`);
        break;
      case 'flag':
        lines.push(`t += ${name()} + f.flag(${read}, ${out.options.nullable});`);
        break;
      case 'bool':
        lines.push(`t += ${name()} + f.bool(${read});`);
        break;
      case 'datetime':
        lines.push(`{ const v = ${read};`);
        lines.push(`  t += ${name('_utc')} + f.utc(v);`);
        lines.push(
          `  if (zone !== undefined) t += ${JSON.stringify(`,${JSON.stringify(`${key}_local`)}:`)} + f.local(v, zone); }`,
        );
        break;
      case 'object':
        lines.push(`t += ${name()} + f.object(${read}, ${extra(out.options.model)}, zone);`);
        break;
      case 'json':
        lines.push(`t += ${name()} + f.json(${read});`);
        break;
    }
  });
  lines.push("return t + '}';");
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the model's own member names (JSON literals only)
  const factory = new Function(
    'f',
    'x',
    `return function write(row, zone) {\n${lines.join('\n')}\n};`,
  ) as (f: typeof FORMAT, x: unknown[]) => Writer;
  return factory(FORMAT, extras);
}
