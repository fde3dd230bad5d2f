import { localIso, localIsoByIcu, resolveTimeZone } from './time-zones';

describe('time zones', () => {
  it('resolves IANA ids and Windows ids (any case); unknown zones are undefined', () => {
    expect(resolveTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(resolveTimeZone('W. Europe Standard Time')).toBe('Europe/Berlin');
    expect(resolveTimeZone('w. europe standard time')).toBe('Europe/Berlin');
    expect(resolveTimeZone('India Standard Time')).toMatch(/Asia\/(Calcutta|Kolkata)/);
    expect(resolveTimeZone('Mars/Olympus_Mons')).toBeUndefined();
    expect(resolveTimeZone('')).toBeUndefined();
    expect(resolveTimeZone('x'.repeat(65))).toBeUndefined();
  });

  it.each([
    'Europe/Berlin',
    'America/New_York',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'America/St_Johns',
    'Europe/London',
  ])(
    'the cached offsets agree with ICU every 37 minutes across two years in %s (DST changes included)',
    (zone) => {
      const start = Date.UTC(2025, 0, 1);
      const end = Date.UTC(2027, 0, 1);
      for (let ms = start; ms < end; ms += 37 * 60_000 + 13_337) {
        const cached = localIso(ms, zone);
        if (cached !== localIsoByIcu(ms, zone)) {
          throw new Error(
            `${zone} at ${new Date(ms).toISOString()}: ${cached} ≠ ${localIsoByIcu(ms, zone)}`,
          );
        }
      }
    },
  );

  it('formats like MES <col>_local values', () => {
    expect(localIso(Date.UTC(2026, 10, 25, 12, 34, 25, 123), 'Europe/Berlin')).toBe(
      '2026-11-25T13:34:25.123',
    );
    expect(localIso(Date.UTC(1900, 0, 1), 'Europe/Berlin')).toBe(
      localIsoByIcu(Date.UTC(1900, 0, 1), 'Europe/Berlin'),
    );
  });
});
