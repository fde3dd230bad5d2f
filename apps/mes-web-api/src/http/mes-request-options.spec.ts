import { MesError } from '@mes/common';
import { isoUtc, mesLocal, mesUtc, parseMesRequestOptions } from './mes-request-options';
import { resolveTimeZone, toLocalIso } from './time-zones';

function detailOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MesError);
    return (e as MesError).detail;
  }
  throw new Error('expected a MesError');
}

describe('MES common request parameters', () => {
  it('reads max_rows and tz_id from the query', () => {
    expect(parseMesRequestOptions({}, { max_rows: '5', tz_id: 'Europe/Berlin' })).toEqual({
      maxRows: 5,
      timeZone: 'Europe/Berlin',
    });
  });

  it('lets the header win over the query', () => {
    expect(parseMesRequestOptions({ max_rows: '2' }, { max_rows: '9' })).toEqual({ maxRows: 2 });
  });

  it('accepts Windows zone ids, case-insensitively', () => {
    expect(parseMesRequestOptions({ tz_id: 'w. europe standard time' }, {}).timeZone).toBe(
      'Europe/Berlin',
    );
    expect(resolveTimeZone('Eastern Standard Time')).toBe('America/New_York');
  });

  it.each(['0', '-1', 'abc', '1.5', '100001', ' ', '1e3'])(
    'refuses max_rows=%j with a 400 naming it',
    (v) => {
      expect(detailOf(() => parseMesRequestOptions({}, { max_rows: v }))).toMatch(
        /^max_rows must be/,
      );
    },
  );

  it('refuses repeated parameters', () => {
    expect(detailOf(() => parseMesRequestOptions({}, { max_rows: ['1', '2'] }))).toMatch(/once/);
  });

  it.each(['Mars/Olympus', 'x'.repeat(200), ''])('refuses an unknown tz_id %#', (v) => {
    expect(detailOf(() => parseMesRequestOptions({}, { tz_id: v }))).toMatch(
      /^tz_id .* is not a known time zone/,
    );
  });

  it('formats <col>_utc and <col>_local', () => {
    const at = new Date('2026-07-01T10:00:00.250Z');
    expect(mesUtc(at)).toBe('2026-07-01T10:00:00.250Z');
    expect(mesLocal(at, {})).toBeUndefined(); // no tz_id: the member is left out
    expect(mesLocal(at, { timeZone: 'Europe/Berlin' })).toBe('2026-07-01T12:00:00.250');
    expect(mesUtc(null)).toBeNull();
    expect(mesLocal(null, { timeZone: 'Asia/Tokyo' })).toBeNull();
    expect(JSON.stringify({ a_utc: mesUtc(at), a_local: mesLocal(at, {}) })).toBe(
      '{"a_utc":"2026-07-01T10:00:00.250Z"}',
    );
    expect(toLocalIso(new Date('2026-01-01T00:30:00Z'), 'America/New_York')).toBe(
      '2025-12-31T19:30:00.000',
    );
  });

  it('formats UTC exactly as Date.toISOString() for every year, and throws for an invalid date', () => {
    const times = [
      0,
      1,
      9,
      10,
      99,
      100,
      999,
      1000,
      -1,
      -62_135_596_800_000,
      253_402_300_799_999,
      253_402_300_800_000,
      Date.UTC(1000, 0, 1),
      Date.UTC(999, 11, 31, 23, 59, 59, 999),
      Date.UTC(2026, 1, 28, 23, 59, 59, 5),
      Date.UTC(2024, 1, 29, 7, 8, 9, 50),
    ];
    for (let i = 0; i < 2000; i++) times.push(Math.round((Math.random() - 0.3) * 4e13));
    for (const t of times) expect([t, isoUtc(new Date(t))]).toEqual([t, new Date(t).toISOString()]);
    expect(() => isoUtc(new Date(NaN))).toThrow(RangeError);
  });
});
