import { MesError } from '@mes/common';
import { mesDateTime, parseMesRequestOptions } from './mes-request-options';
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
    expect(mesDateTime('last_edit_at', at, {})).toEqual({
      last_edit_at_utc: '2026-07-01T10:00:00.250Z',
    });
    expect(mesDateTime('last_edit_at', at, { timeZone: 'Europe/Berlin' })).toEqual({
      last_edit_at_utc: '2026-07-01T10:00:00.250Z',
      last_edit_at_local: '2026-07-01T12:00:00.250',
    });
    expect(mesDateTime('x', null, { timeZone: 'Asia/Tokyo' })).toEqual({
      x_utc: null,
      x_local: null,
    });
    expect(toLocalIso(new Date('2026-01-01T00:30:00Z'), 'America/New_York')).toBe(
      '2025-12-31T19:30:00.000',
    );
  });
});
