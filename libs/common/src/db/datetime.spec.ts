import { dbDateTimeToIso, dbDateTimeToMs, isoUtc, toDate, toSqliteDateTime } from './datetime';

/** What the helpers must agree with: the engine's own ISO text. */
const sqliteText = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

describe('MES datetimes', () => {
  it('writes the SQLite text of any instant, again and again (the last one is reused)', () => {
    let ms = Date.UTC(1000, 0, 1);
    const end = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    const step = Math.floor((end - ms) / 5000) + 7; // odd step: every field moves
    for (; ms <= end; ms += step) {
      const date = new Date(ms);
      expect(toSqliteDateTime(date)).toBe(sqliteText(date));
      expect(toSqliteDateTime(new Date(ms))).toBe(sqliteText(date));
      expect(isoUtc(date)).toBe(date.toISOString());
    }
    const leap = new Date(Date.UTC(2028, 1, 29, 23, 59, 59, 5));
    expect(toSqliteDateTime(leap)).toBe('2028-02-29 23:59:59.005');
    expect(toSqliteDateTime(new Date(leap.getTime() + 1))).toBe('2028-02-29 23:59:59.006');
  });

  it('leaves years outside 1000-9999 to the engine, and refuses an invalid date', () => {
    const early = new Date(Date.UTC(999, 11, 31, 12));
    const late = new Date(Date.UTC(10000, 0, 1));
    expect(toSqliteDateTime(early)).toBe(sqliteText(early));
    expect(toSqliteDateTime(late)).toBe(sqliteText(late));
    expect(() => toSqliteDateTime(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('reads what it writes, and what SQL Server answers', () => {
    const date = new Date(Date.UTC(2026, 6, 1, 10, 0, 0, 250));
    const text = toSqliteDateTime(date);
    expect(text).toBe('2026-07-01 10:00:00.250');
    expect(dbDateTimeToIso(text)).toBe('2026-07-01T10:00:00.250Z');
    expect(dbDateTimeToIso(date)).toBe('2026-07-01T10:00:00.250Z');
    expect(dbDateTimeToMs(text)).toBe(date.getTime());
    expect(dbDateTimeToMs('2026-07-01 10:00')).toBe(Date.UTC(2026, 6, 1, 10));
    expect(toDate('not a date')).toBeNull();
    expect(dbDateTimeToIso(null)).toBeNull();
    expect(Number.isNaN(dbDateTimeToMs(undefined))).toBe(true);
  });
});
