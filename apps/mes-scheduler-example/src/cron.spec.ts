import { CronExpression, parseDuration } from './cron';

const utc = (iso: string) => new Date(iso);

describe('CronExpression', () => {
  it('matches steps, ranges and lists', () => {
    const cron = new CronExpression('*/15 8-17 * * 1-5', true);
    expect(cron.matches(utc('2025-01-06T08:30:00Z'))).toBe(true); // Monday
    expect(cron.matches(utc('2025-01-06T08:31:00Z'))).toBe(false);
    expect(cron.matches(utc('2025-01-05T08:30:00Z'))).toBe(false); // Sunday
    expect(cron.matches(utc('2025-01-06T18:00:00Z'))).toBe(false);
    expect(new CronExpression('0 0 1,15 * *', true).matches(utc('2025-03-15T00:00:00Z'))).toBe(
      true,
    );
  });

  it('treats day-of-month and day-of-week as OR when both are set, 7 as Sunday', () => {
    const cron = new CronExpression('0 12 1 * 7', true);
    expect(cron.matches(utc('2025-01-05T12:00:00Z'))).toBe(true); // a Sunday
    expect(cron.matches(utc('2025-02-01T12:00:00Z'))).toBe(true); // the 1st, a Saturday
    expect(cron.matches(utc('2025-02-03T12:00:00Z'))).toBe(false);
  });

  it('finds the next matching minute', () => {
    const cron = new CronExpression('5 * * * *', true);
    expect(cron.next(utc('2025-01-01T10:04:59Z')).toISOString()).toBe('2025-01-01T10:05:00.000Z');
    expect(cron.next(utc('2025-01-01T10:05:00Z')).toISOString()).toBe('2025-01-01T11:05:00.000Z');
    expect(
      new CronExpression('0 0 29 2 *', true).next(utc('2025-01-01T00:00:00Z')).toISOString(),
    ).toBe('2028-02-29T00:00:00.000Z');
  });

  it.each([
    '* * * *',
    '60 * * * *',
    '* 24 * * *',
    '* * 0 * *',
    '5-1 * * * *',
    '*/0 * * * *',
    'a * * * *',
  ])('rejects %s', (expression) => {
    expect(() => new CronExpression(expression)).toThrow(/Cron/);
  });

  it('parses durations', () => {
    expect(parseDuration('60s')).toBe(60_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('90')).toBe(90_000);
    expect(() => parseDuration('10ms')).toThrow(/too short/);
    expect(() => parseDuration('soon')).toThrow(/not valid/);
  });
});
