import { MesError } from '@mes-web-api/common';
import { IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey } from '@mes-web-api/mes-transactions';
import { resolveTimeZone } from '../schema/time-zones';

/** The common parameters of every MES call (SPEC section 2), validated. */
export interface MesCommonOptions {
  /** Row limit of a GET (`max_rows`, 1-100000); undefined: every row. */
  readonly maxRows?: number;
  /** IANA zone of `tz_id` (an IANA or a Windows id); undefined: UTC only. */
  readonly timeZone?: string;
  /** `trans_id`: the open MES transaction the call runs in. */
  readonly transId?: string;
  /** The `Idempotency-Key` header (writes run once per key). */
  readonly idempotencyKey?: string;
}

/** Largest accepted `max_rows`. */
export const MAX_ROWS_LIMIT = 100_000;

/** Query members every MES call accepts beside its own parameters. */
export const COMMON_PARAMETERS: ReadonlySet<string> = new Set(['max_rows', 'tz_id', 'trans_id']);

type HeaderBag = Record<string, string | string[] | undefined>;
type Bag = Record<string, unknown>;

const HEADER_SPELLINGS = {
  max_rows: ['max_rows', 'max-rows'],
  tz_id: ['tz_id', 'tz-id'],
  trans_id: ['trans_id', 'trans-id'],
} as const;

function pick(
  headers: HeaderBag,
  query: Bag,
  name: keyof typeof HEADER_SPELLINGS,
): string | undefined {
  const [underscore, hyphen] = HEADER_SPELLINGS[name];
  const value = headers[underscore] ?? headers[hyphen] ?? query[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    throw MesError.validation(`${name} must be given once.`, [`${name} must be given once`]);
  }
  if (typeof value === 'number' && name === 'max_rows') return String(value);
  if (typeof value !== 'string') {
    throw MesError.validation(`${name} must be a single value.`, [
      `${name} must be a single value`,
    ]);
  }
  return value;
}

/**
 * Reads `max_rows`, `tz_id` and `trans_id` from the headers or the query string (or MiddlewareAccess
 * `parms`); the header wins when both are given. A bad value is a 400 that names the parameter.
 */
export function parseCommonOptions(headers: HeaderBag, query: Bag): MesCommonOptions {
  let maxRows: number | undefined;
  let timeZone: string | undefined;
  const rows = pick(headers, query, 'max_rows');
  if (rows !== undefined) {
    const n = /^\s*\d{1,9}\s*$/.test(rows) ? Number(rows) : Number.NaN;
    if (!Number.isInteger(n) || n < 1 || n > MAX_ROWS_LIMIT) {
      throw MesError.validation(`max_rows must be an integer from 1 to ${MAX_ROWS_LIMIT}.`, [
        `max_rows must be an integer from 1 to ${MAX_ROWS_LIMIT}`,
      ]);
    }
    maxRows = n;
  }
  const tzId = pick(headers, query, 'tz_id');
  if (tzId !== undefined) {
    timeZone = resolveTimeZone(tzId);
    if (timeZone === undefined) {
      throw MesError.validation(
        `tz_id ${JSON.stringify(tzId.slice(0, 64))} is not a known time zone; use an IANA id (Europe/Berlin) or a Windows id (W. Europe Standard Time).`,
        ['tz_id is not a known time zone'],
      );
    }
  }
  const transId = pick(headers, query, 'trans_id');
  const idempotencyKey = parseIdempotencyKey(headers[IDEMPOTENCY_KEY_HEADER]);
  if (
    transId === undefined &&
    maxRows === undefined &&
    timeZone === undefined &&
    idempotencyKey === undefined
  )
    return NONE;
  return {
    maxRows,
    timeZone,
    transId: transId === undefined ? undefined : transId.trim(),
    idempotencyKey,
  };
}

const NONE: MesCommonOptions = Object.freeze({});
