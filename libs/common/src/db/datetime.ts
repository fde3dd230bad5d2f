/**
 * MES datetimes as the databases hold them, in UTC: SQLite keeps the text TypeORM writes
 * (`2026-07-01 10:00:00.250`), SQL Server answers `Date` objects. These helpers read either
 * without building more than they must.
 */

/** A datetime column's value as a driver returns it. */
export type DbDateTime = string | Date;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** The last instant toSqliteDateTime wrote, and its text (NaN: none yet). */
let lastMs = Number.NaN;
let lastText = '';

/**
 * `2026-07-01 10:00:00.250`: the UTC text SQLite stores (what TypeORM writes). A write binds
 * one stamp several times (edit stamp, history time) and writes under load share milliseconds:
 * the last instant's text is reused.
 */
export function toSqliteDateTime(date: Date): string {
  const ms = date.getTime();
  if (ms === lastMs) return lastText;
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) {
    return date.toISOString().replace('T', ' ').replace('Z', '');
  }
  lastText =
    `${year}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())} ` +
    `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}.` +
    pad3(date.getUTCMilliseconds());
  lastMs = ms;
  return lastText;
}

/** Whether `text` is exactly `YYYY-MM-DD HH:MM:SS.mmm` (digits where digits belong). */
function isCanonicalSqliteText(text: string): boolean {
  if (text.length !== 23) return false;
  for (let i = 0; i < 23; i++) {
    const c = text.charCodeAt(i);
    switch (i) {
      case 4:
      case 7:
        if (c !== 45) return false; // -
        break;
      case 10:
        if (c !== 32) return false; // space
        break;
      case 13:
      case 16:
        if (c !== 58) return false; // :
        break;
      case 19:
        if (c !== 46) return false; // .
        break;
      default:
        if (c < 48 || c > 57) return false;
    }
  }
  return true;
}

/** The value as a `Date` (UTC); null for null, undefined or an unreadable value. */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string') return null;
  let text = value;
  if (/^\d{4}-\d\d-\d\d \d\d:\d\d/.test(text)) text = text.replace(' ', 'T');
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?$/.test(text)) text += 'Z';
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * `Date.toISOString()` for the years 1000-9999 without the call into the engine's runtime; other
 * years (and invalid dates, which throw) go to `toISOString()` itself.
 */
export function isoUtc(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return date.toISOString();
  return (
    `${year}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}` +
    `T${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}` +
    `.${pad3(date.getUTCMilliseconds())}Z`
  );
}

/**
 * The `<col>_utc` value of a datetime column: ISO 8601 in UTC (`2026-07-01T10:00:00.250Z`);
 * null for null. The canonical SQLite text is rewritten without building a `Date`.
 */
export function dbDateTimeToIso(value: unknown): string | null {
  if (typeof value === 'string' && isCanonicalSqliteText(value)) {
    return `${value.slice(0, 10)}T${value.slice(11)}Z`;
  }
  const date = toDate(value);
  return date === null ? null : isoUtc(date);
}

/** Milliseconds since the epoch of a datetime column's value; NaN for null or unreadable. */
export function dbDateTimeToMs(value: unknown): number {
  if (typeof value === 'string' && isCanonicalSqliteText(value)) {
    return Date.UTC(
      num(value, 0, 4),
      num(value, 5, 2) - 1,
      num(value, 8, 2),
      num(value, 11, 2),
      num(value, 14, 2),
      num(value, 17, 2),
      num(value, 20, 3),
    );
  }
  const date = toDate(value);
  return date === null ? Number.NaN : date.getTime();
}

function num(text: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) n = n * 10 + (text.charCodeAt(i) - 48);
  return n;
}
