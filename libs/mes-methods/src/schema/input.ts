import { MesError, MesErrorCode } from '@mes-web-api/common';
import {
  arrayRule,
  boolRule,
  dateTimeRule,
  INT_MAX,
  intEnumRule,
  intRule,
  INVALID,
  JsonSchema,
  mesIdRule,
  numberRule,
  NumberRuleOptions,
  ParamRule,
  textRule,
  userIdRule,
} from './params';

interface ParamOptions {
  readonly required: boolean;
  readonly nullable: boolean;
  readonly description?: string;
  readonly example?: unknown;
  readonly defaultValue?: unknown;
}

/**
 * One parameter of an MES method: its rule, whether it must be given, may be null, a default.
 * Immutable: every modifier returns a new parameter. `R` is true when the parsed input always has
 * a value (required, or defaulted).
 */
export class Param<T, R extends boolean = false> {
  /** Phantom member carrying the value type. */
  declare readonly __value?: T;
  declare readonly __present?: R;

  constructor(
    readonly rule: ParamRule<unknown>,
    readonly options: ParamOptions = { required: false, nullable: false },
  ) {}

  /** Must be given: a missing query key is a 404 (SPEC section 3), a missing body member a 400. */
  required(): Param<T, true> {
    return new Param(this.rule, { ...this.options, required: true });
  }

  /** `null` is accepted (it clears a nullable column). */
  nullable(): Param<T | null, R> {
    return new Param(this.rule, { ...this.options, nullable: true });
  }

  describe(description: string): Param<T, R> {
    return new Param(this.rule, { ...this.options, description });
  }

  example(example: unknown): Param<T, R> {
    return new Param(this.rule, { ...this.options, example });
  }

  /** The value when the parameter is left out. */
  default(value: T): Param<T, true> {
    return new Param(this.rule, { ...this.options, defaultValue: value });
  }

  /** JSON Schema of the parameter (OpenAPI 3.0). */
  schema(): JsonSchema {
    const schema: JsonSchema = { ...this.rule.schema };
    if (this.options.nullable) schema.nullable = true;
    if (this.options.description) schema.description = this.options.description;
    if (this.options.example !== undefined) schema.example = this.options.example;
    if (this.options.defaultValue !== undefined) schema.default = this.options.defaultValue;
    return schema;
  }
}

/** Builders of MES method parameters. */
export const p = {
  int: (min = 0, max = INT_MAX) => new Param<number>(intRule(min, max)),
  /** A key of an integer-keyed table: 1 to 2147483647. */
  key: () => new Param<number>(intRule(1, INT_MAX)),
  intEnum: (values: readonly number[], rule: string) =>
    new Param<number>(intEnumRule(values, rule)),
  number: (options?: NumberRuleOptions) => new Param<number>(numberRule(options)),
  bool: () => new Param<boolean>(boolRule()),
  /** An MES identifier (nvarchar(max), default 40). */
  id: (max = 40) => new Param<string>(mesIdRule(max)),
  userId: () => new Param<string>(userIdRule()),
  text: (max: number, min = 0) => new Param<string>(textRule(max, min)),
  dateTime: () => new Param<Date>(dateTimeRule()),
  ints: (min = 0, max = INT_MAX, maxItems = 1000) =>
    new Param<number[]>(arrayRule(intRule(min, max), maxItems)),
  /** Any rule. */
  of: <T>(rule: ParamRule<T>) => new Param<T>(rule),
};

export type Shape = Readonly<Record<string, Param<unknown, boolean>>>;

type ValueOf<P> = P extends Param<infer T, boolean> ? T : never;
type PresentKeys<S extends Shape> = {
  [K in keyof S]: S[K] extends Param<unknown, true> ? K : never;
}[keyof S];
type OptionalKeys<S extends Shape> = Exclude<keyof S, PresentKeys<S>>;

/** The parsed input of a shape: present keys always set, the others optional. */
export type InputOf<S extends Shape> = { [K in PresentKeys<S>]: ValueOf<S[K]> } & {
  [K in OptionalKeys<S>]?: ValueOf<S[K]>;
};

/** Where an object of parameters comes from: it decides what a missing one is. */
export type InputSource = 'query' | 'path' | 'body';

function missing(name: string): MesError {
  return new MesError(MesErrorCode.RouteNotFound, `The required parameter ${name} is missing.`);
}

function invalid(messages: string[]): MesError {
  return MesError.validation(messages.join('; '), messages);
}

/**
 * The parameters of one source (query string, path or JSON body) of an MES method, compiled
 * once: `parse` checks every member, refuses unknown ones, applies defaults, and throws one
 * MesError listing every problem (400; a missing required query or path parameter is a 404).
 */
export class ObjectInput<S extends Shape> {
  private readonly entries: ReadonlyArray<readonly [string, Param<unknown, boolean>]>;
  private readonly names: ReadonlySet<string>;

  constructor(
    readonly shape: S,
    readonly source: InputSource,
  ) {
    this.entries = Object.entries(shape);
    this.names = new Set(Object.keys(shape));
  }

  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  /**
   * Reads `bag` (query/path: strings, possibly repeated; body: JSON values). Members named in
   * `ignore` (the common parameters `max_rows`, `tz_id`, `trans_id`) are skipped. `jsonValues`
   * reads query or path parameters given as JSON values (MiddlewareAccess `parms`) rather than
   * text; a missing required one is still a 404.
   */
  parse(bag: unknown, ignore?: ReadonlySet<string>, jsonValues = false): InputOf<S> {
    const json = this.source === 'body' || jsonValues;
    if (this.source === 'body' && (bag === null || typeof bag !== 'object' || Array.isArray(bag))) {
      if (bag === undefined && this.entries.every(([, param]) => !param.options.required)) {
        return this.parse({});
      }
      throw invalid([
        bag === undefined ? 'a JSON object body is required' : 'the body must be a JSON object',
      ]);
    }
    const values = (bag ?? {}) as Record<string, unknown>;
    const problems: string[] = [];
    for (const key in values) {
      if (!Object.prototype.hasOwnProperty.call(values, key)) continue;
      if (!this.names.has(key) && !(ignore !== undefined && ignore.has(key))) {
        problems.push(`property ${key} should not exist`);
      }
    }
    if (problems.length > 0) throw invalid(problems);
    const out: Record<string, unknown> = {};
    for (const [name, param] of this.entries) {
      const raw = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
      const given = raw !== undefined && !(!json && raw === '');
      if (!given) {
        if (param.options.defaultValue !== undefined) {
          out[name] = param.options.defaultValue;
        } else if (param.options.required) {
          if (this.source !== 'body') throw missing(name);
          problems.push(`${name} is required: ${param.rule.rule}`);
        }
        continue;
      }
      if (raw === null) {
        if (param.options.nullable) out[name] = null;
        else problems.push(`${name} must be ${param.rule.rule}`);
        continue;
      }
      if (!json && typeof raw !== 'string') {
        problems.push(`${name} must be given once`);
        continue;
      }
      const value = json ? param.rule.fromJson(raw) : param.rule.fromText(raw as string);
      if (value === INVALID) problems.push(`${name} must be ${param.rule.rule}`);
      else out[name] = value;
    }
    if (problems.length > 0) throw invalid(problems);
    return out as InputOf<S>;
  }

  /** JSON Schema of the object (a body model). */
  schema(): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const [name, param] of this.entries) {
      properties[name] = param.schema();
      if (param.options.required) required.push(name);
    }
    const schema: JsonSchema = { type: 'object', properties, additionalProperties: false };
    if (required.length > 0) schema.required = required;
    return schema;
  }

  /** The members, for documenting query and path parameters one by one. */
  members(): ReadonlyArray<readonly [string, Param<unknown, boolean>]> {
    return this.entries;
  }
}
