import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader, ApiQuery } from '@nestjs/swagger';
import { MesError } from '@mes/common';
import { resolveTimeZone, toLocalIso } from './time-zones';

/** The MES common parameters of a request (SPEC.md section 2), already validated. */
export interface MesRequestOptions {
  /** Row limit for a GET (`max_rows`), a positive integer; undefined = no limit. */
  maxRows?: number;
  /** IANA zone resolved from `tz_id` (IANA or Windows id); undefined = UTC only. */
  timeZone?: string;
}

/** Largest accepted `max_rows`. */
export const MAX_ROWS_LIMIT = 100_000;

type HeaderBag = Record<string, string | string[] | undefined>;
type QueryBag = Record<string, unknown>;

/** The header spellings with a hyphen (`max-rows`, `tz-id`). */
const HYPHENATED = { max_rows: 'max-rows', tz_id: 'tz-id' } as const;

function pick(headers: HeaderBag, query: QueryBag, name: 'max_rows' | 'tz_id'): string | undefined {
  const header = headers[name] ?? headers[HYPHENATED[name]];
  const value = header ?? query[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    throw MesError.validation(`${name} must be given once.`, [`${name} must be given once`]);
  }
  if (typeof value !== 'string') {
    throw MesError.validation(`${name} must be a single value.`, [
      `${name} must be a single value`,
    ]);
  }
  return value;
}

/**
 * Reads `max_rows` and `tz_id` from the headers or the query string; the header wins when both
 * are given. A bad value is a 400 that names the parameter.
 */
export function parseMesRequestOptions(headers: HeaderBag, query: QueryBag): MesRequestOptions {
  const options: MesRequestOptions = {};
  const maxRows = pick(headers, query, 'max_rows');
  if (maxRows !== undefined) {
    const n = /^\s*\d{1,9}\s*$/.test(maxRows) ? Number(maxRows) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > MAX_ROWS_LIMIT) {
      throw MesError.validation(`max_rows must be an integer from 1 to ${MAX_ROWS_LIMIT}.`, [
        `max_rows must be an integer from 1 to ${MAX_ROWS_LIMIT}`,
      ]);
    }
    options.maxRows = n;
  }
  const tzId = pick(headers, query, 'tz_id');
  if (tzId !== undefined) {
    const timeZone = resolveTimeZone(tzId);
    if (!timeZone) {
      throw MesError.validation(
        `tz_id ${JSON.stringify(tzId.slice(0, 64))} is not a known time zone; use an IANA id (Europe/Berlin) or a Windows id (W. Europe Standard Time).`,
        ['tz_id is not a known time zone'],
      );
    }
    options.timeZone = timeZone;
  }
  return options;
}

/** Handler parameter: the request's validated `max_rows` / `tz_id`. */
export const MesOptions = createParamDecorator(
  (_: unknown, context: ExecutionContext): MesRequestOptions => {
    const request = context.switchToHttp().getRequest<{ headers: HeaderBag; query?: QueryBag }>();
    return parseMesRequestOptions(request.headers, request.query ?? {});
  },
);

/** Documents `max_rows` and `tz_id` (query or header) on a GET operation. */
export function ApiMesReadOptions(): MethodDecorator {
  return applyDecorators(
    ApiQuery({
      name: 'max_rows',
      required: false,
      type: Number,
      description: `Row limit (1-${MAX_ROWS_LIMIT}); also accepted as a header, which wins.`,
    }),
    ApiQuery({
      name: 'tz_id',
      required: false,
      type: String,
      description:
        'Time zone (IANA or Windows id) for the <col>_local values; also accepted as a header, which wins.',
    }),
    ApiHeader({ name: 'max_rows', required: false }),
    ApiHeader({ name: 'tz_id', required: false }),
  );
}

/** Documents `tz_id` only (writes that return a record). */
export function ApiMesTimeZone(): MethodDecorator {
  return applyDecorators(
    ApiQuery({ name: 'tz_id', required: false, type: String }),
    ApiHeader({ name: 'tz_id', required: false }),
  );
}

/**
 * The MES datetime members of a column `<col>`: `<col>_utc: mesUtc(value)` and
 * `<col>_local: mesLocal(value, options)`.
 *
 * `<col>_utc`: ISO 8601 in UTC (`2026-07-01T10:00:00.250Z`, as `Date.toISOString()`); null stays
 * null.
 */
export function mesUtc(value: Date | null | undefined): string | null {
  return value ? isoUtc(value) : null;
}

/**
 * `<col>_local`: the wall-clock time in the time zone asked for with `tz_id` (no offset); null
 * stays null; `undefined` when no time zone was asked for, so the member is left out of the JSON.
 */
export function mesLocal(
  value: Date | null | undefined,
  options: MesRequestOptions,
): string | null | undefined {
  if (!options.timeZone) return undefined;
  return value ? toLocalIso(value, options.timeZone) : null;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * `Date.toISOString()` for the years 1000-9999, in a third of its time (it is a call into the
 * engine's runtime; every datetime member of every answer goes through here). Other years, and
 * invalid dates (RangeError), go to `toISOString()` itself.
 */
export function isoUtc(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return date.toISOString();
  const ms = date.getUTCMilliseconds();
  return (
    `${year}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}` +
    `T${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}` +
    `.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`
  );
}
