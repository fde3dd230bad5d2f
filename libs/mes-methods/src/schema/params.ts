/**
 * Input parameters of MES methods: one rule per kind of value, read from a query string (text) or
 * from a JSON body the way the real MES Web API (Newtonsoft JSON) reads it: flags accept
 * `true`/`false` (also as strings, any letter case) and `0`/`1`; numbers accept numeric strings.
 * Everything else of the wrong type is refused with a message naming the parameter.
 */

/** JSON Schema (OpenAPI 3.0) of a value. */
export type JsonSchema = Record<string, unknown>;

/** A refused value. */
export const INVALID: unique symbol = Symbol('invalid');
export type Invalid = typeof INVALID;

/** One kind of value: how to read it, how to describe it. */
export interface ParamRule<T> {
  /** What a valid value is, for messages: "an integer from 1 to 2147483647". */
  readonly rule: string;
  readonly schema: JsonSchema;
  fromText(raw: string): T | Invalid;
  fromJson(value: unknown): T | Invalid;
}

/** Largest SQL `int`. */
export const INT_MAX = 2_147_483_647;

/**
 * MES identifiers (ent_name, item_id, wo_id, oper_id …): letters, digits, blanks inside, and
 * `_ - . / # ( ) & + : , @`. Quotes, semicolons, backslashes, `%`, `*`, `=` and control
 * characters are refused before the database is touched.
 */
export const MES_ID_PATTERN =
  /^[\p{L}\p{N}_\-./#()&+:,@]([\p{L}\p{N} _\-./#()&+:,@]*[\p{L}\p{N}_\-./#()&+:,@])?$/u;
export const MES_ID_RULE = 'letters, digits, inner blanks and _ - . / # ( ) & + : , @ only';

/** MES user ids: also `\` (domain\user) and `$`. */
export const USER_ID_PATTERN =
  /^[\p{L}\p{N}_\-.@$\\]([\p{L}\p{N} _\-.@$\\]*[\p{L}\p{N}_\-.@$\\])?$/u;
export const USER_ID_RULE = 'letters, digits, inner blanks and _ - . @ $ \\ only';

/** Free text: anything printable; tab and line breaks allowed, other control characters not. */
// eslint-disable-next-line no-control-regex -- the point is to refuse control characters
export const FREE_TEXT_PATTERN = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

const INTEGER_TEXT = /^-?\d{1,16}$/;
const NUMBER_TEXT = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function parseIntegerText(raw: string): number | Invalid {
  if (!INTEGER_TEXT.test(raw)) return INVALID;
  return Number(raw);
}

/** Integers from `min` to `max` (query text: digits only; JSON: a whole number or such a string). */
export function intRule(min = 0, max = INT_MAX): ParamRule<number> {
  const inRange = (n: number): number | Invalid =>
    Number.isSafeInteger(n) && n >= min && n <= max ? n : INVALID;
  return {
    rule: `an integer from ${min} to ${max}`,
    schema: { type: 'integer', format: 'int32', minimum: min, maximum: max },
    fromText: (raw) => {
      const n = parseIntegerText(raw);
      return n === INVALID ? n : inRange(n);
    },
    fromJson: (value) => {
      if (typeof value === 'number') return inRange(value);
      if (typeof value === 'string') {
        const n = parseIntegerText(value.trim());
        return n === INVALID ? n : inRange(n);
      }
      return INVALID;
    },
  };
}

/** One of the listed integers (a state code …). */
export function intEnumRule(values: readonly number[], rule: string): ParamRule<number> {
  const allowed = new Set(values);
  const pick = (n: number | Invalid): number | Invalid =>
    n !== INVALID && allowed.has(n) ? n : INVALID;
  return {
    rule,
    schema: { type: 'integer', enum: [...values] },
    fromText: (raw) => pick(parseIntegerText(raw)),
    fromJson: (value) =>
      typeof value === 'number'
        ? pick(value)
        : typeof value === 'string'
          ? pick(parseIntegerText(value.trim()))
          : INVALID,
  };
}

export interface NumberRuleOptions {
  /** Smallest value; `exclusive` makes it "greater than". */
  min?: number;
  exclusiveMin?: boolean;
  max?: number;
}

/** A finite number (float columns: quantities). */
export function numberRule(options: NumberRuleOptions = {}): ParamRule<number> {
  const { min, exclusiveMin = false, max } = options;
  const parts: string[] = [];
  if (min !== undefined) parts.push(exclusiveMin ? `greater than ${min}` : `at least ${min}`);
  if (max !== undefined) parts.push(`at most ${max}`);
  const check = (n: number): number | Invalid => {
    if (!Number.isFinite(n)) return INVALID;
    if (min !== undefined && (exclusiveMin ? n <= min : n < min)) return INVALID;
    if (max !== undefined && n > max) return INVALID;
    return n;
  };
  const fromText = (raw: string): number | Invalid =>
    NUMBER_TEXT.test(raw) ? check(Number(raw)) : INVALID;
  const schema: JsonSchema = { type: 'number', format: 'double' };
  if (min !== undefined) {
    schema.minimum = min;
    if (exclusiveMin) schema.exclusiveMinimum = true;
  }
  if (max !== undefined) schema.maximum = max;
  return {
    rule: `a number${parts.length > 0 ? ` ${parts.join(' and ')}` : ''}`,
    schema,
    fromText,
    fromJson: (value) =>
      typeof value === 'number'
        ? check(value)
        : typeof value === 'string'
          ? fromText(value.trim())
          : INVALID,
  };
}

/** Flags: `true`/`false` (any letter case) and `1`/`0`, as JSON or text. */
export function boolRule(): ParamRule<boolean> {
  const fromText = (raw: string): boolean | Invalid => {
    const text = raw.trim().toLowerCase();
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    return INVALID;
  };
  return {
    rule: 'a boolean value (true, false, 1 or 0)',
    schema: { type: 'boolean' },
    fromText,
    fromJson: (value) => {
      if (typeof value === 'boolean') return value;
      if (value === 1 || value === 0) return value === 1;
      if (typeof value === 'string') return fromText(value);
      return INVALID;
    },
  };
}

export interface StringRuleOptions {
  /** Shortest length (default 1 for identifiers, 0 for free text). */
  min?: number;
  max: number;
  pattern?: RegExp;
  /** The rule text of the pattern (for messages). */
  patternRule?: string;
  format?: string;
}

/** A string of `min` to `max` characters matching `pattern`. */
export function stringRule(options: StringRuleOptions): ParamRule<string> {
  const { min = 0, max, pattern, patternRule, format } = options;
  const length = min > 0 ? `${min} to ${max} characters` : `at most ${max} characters`;
  const check = (value: string): string | Invalid =>
    value.length >= min && value.length <= max && (pattern === undefined || pattern.test(value))
      ? value
      : INVALID;
  const schema: JsonSchema = { type: 'string', maxLength: max };
  if (min > 0) schema.minLength = min;
  if (format) schema.format = format;
  return {
    rule: patternRule ? `${length}: ${patternRule}` : `a string of ${length}`,
    schema,
    fromText: check,
    fromJson: (value) => (typeof value === 'string' ? check(value) : INVALID),
  };
}

/** An MES identifier of at most `max` characters (nvarchar(40) keys). */
export function mesIdRule(max = 40): ParamRule<string> {
  return stringRule({ min: 1, max, pattern: MES_ID_PATTERN, patternRule: MES_ID_RULE });
}

/** An MES user id (`domain\user`). */
export function userIdRule(): ParamRule<string> {
  return stringRule({ min: 1, max: 40, pattern: USER_ID_PATTERN, patternRule: USER_ID_RULE });
}

/** Free text of at most `max` characters without control characters (tab and line breaks allowed). */
export function textRule(max: number, min = 0): ParamRule<string> {
  const rule = stringRule({ min, max, pattern: FREE_TEXT_PATTERN });
  return {
    ...rule,
    rule: `${min > 0 ? `${min} to ${max}` : `at most ${max}`} characters without control characters`,
  };
}

const ISO_DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,7})?)?(Z|[+-]\d\d:\d\d)$/;

/** A point in time: ISO 8601 with a zone (`2026-07-01T10:00:00Z`, `…+02:00`). */
export function dateTimeRule(): ParamRule<Date> {
  const read = (value: string): Date | Invalid => {
    if (!ISO_DATETIME.test(value)) return INVALID;
    const [year, month, day] = value.slice(0, 10).split('-').map(Number);
    if (
      month < 1 ||
      month > 12 ||
      day < 1 ||
      day > new Date(Date.UTC(year, month, 0)).getUTCDate()
    ) {
      return INVALID;
    }
    const date = new Date(value);
    const utcYear = date.getUTCFullYear();
    return Number.isNaN(date.getTime()) || utcYear < 1753 || utcYear > 9999 ? INVALID : date;
  };
  return {
    rule: 'an ISO 8601 date and time with a zone, e.g. 2026-07-01T10:00:00Z',
    schema: { type: 'string', format: 'date-time' },
    fromText: read,
    fromJson: (value) => (typeof value === 'string' ? read(value) : INVALID),
  };
}

/** A JSON array of values of `item` (e.g. row ids), at most `max` of them. */
export function arrayRule<T>(item: ParamRule<T>, max = 1000): ParamRule<T[]> {
  return {
    rule: `an array of at most ${max} values, each ${item.rule}`,
    schema: { type: 'array', items: item.schema, maxItems: max },
    fromText: (raw) => {
      const one = item.fromText(raw);
      return one === INVALID ? INVALID : [one];
    },
    fromJson: (value) => {
      if (!Array.isArray(value) || value.length > max) return INVALID;
      const out: T[] = [];
      for (const element of value) {
        const one = item.fromJson(element);
        if (one === INVALID) return INVALID;
        out.push(one);
      }
      return out;
    },
  };
}
