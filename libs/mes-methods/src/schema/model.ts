import { dbDateTimeToIso, dbDateTimeToMs } from '@mes/common';
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
  /** Computed from the row. */
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

function jsonString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
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
  private readonly writers: Writer[];
  readonly members: Readonly<Record<string, Out>>;

  constructor(
    /** The schema's name in the Swagger file's components. */
    readonly name: string,
    members: Record<string, Out>,
    readonly description?: string,
  ) {
    this.members = members;
    this.writers = Object.entries(members).map(([key, out], index) =>
      writer(key, out, index === 0),
    );
  }

  /** The row as this model's JSON text; `zone` (IANA) adds the `<col>_local` members. */
  json(row: Row, zone?: string): string {
    let text = '{';
    for (const write of this.writers) text += write(row, zone);
    return `${text}}`;
  }

  /** The rows as a JSON array of this model. */
  jsonList(rows: readonly Row[], zone?: string): string {
    let text = '[';
    for (let i = 0; i < rows.length; i++) {
      if (i > 0) text += ',';
      text += this.json(rows[i], zone);
    }
    return `${text}]`;
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

function writer(key: string, out: Out, first: boolean): Writer {
  const comma = first ? '' : ',';
  const from = out.options.from ?? key;
  const get = out.options.get;
  const read = get ?? ((row: Row) => row[from]);
  const prefix = `${comma}${JSON.stringify(key)}:`;
  switch (out.kind) {
    case 'int':
    case 'number':
      return (row) => prefix + jsonNumber(read(row));
    case 'string':
      return (row) => prefix + jsonString(read(row));
    case 'flag':
      return (row) => {
        const value = read(row);
        if (value === null || value === undefined) {
          return prefix + (out.options.nullable ? 'null' : 'false');
        }
        return prefix + (Number(value) !== 0 ? 'true' : 'false');
      };
    case 'bool':
      return (row) => {
        const value = read(row);
        return prefix + (value === null || value === undefined ? 'null' : value ? 'true' : 'false');
      };
    case 'datetime': {
      const utc = `${comma}${JSON.stringify(`${key}_utc`)}:`;
      const local = `,${JSON.stringify(`${key}_local`)}:`;
      return (row, zone) => {
        const value = read(row);
        const iso = dbDateTimeToIso(value);
        let text = utc + (iso === null ? 'null' : `"${iso}"`);
        if (zone !== undefined) {
          const ms = dbDateTimeToMs(value);
          text += local + (Number.isNaN(ms) ? 'null' : `"${localIso(ms, zone)}"`);
        }
        return text;
      };
    }
    case 'object': {
      const nested = out.options.model as Model;
      return (row, zone) => {
        const value = read(row);
        return (
          prefix +
          (value === null || value === undefined ? 'null' : nested.json(value as Row, zone))
        );
      };
    }
    case 'json':
      return (row) => {
        const value = read(row);
        return prefix + (value === undefined ? 'null' : JSON.stringify(value));
      };
  }
}
