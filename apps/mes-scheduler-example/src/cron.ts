/**
 * A tiny 5-field cron matcher: minute hour day-of-month month day-of-week, each `*`, a number,
 * a range `a-b`, a step `*\/n` or `a-b/n`, or a comma list of those. Day of week 0-7 (0 and 7
 * are Sunday). As in classic cron, when both day fields are restricted a day matches if either
 * does. Times are local unless `utc` is set.
 */
export class CronExpression {
  private readonly minutes: ReadonlySet<number>;
  private readonly hours: ReadonlySet<number>;
  private readonly days: ReadonlySet<number>;
  private readonly months: ReadonlySet<number>;
  private readonly weekdays: ReadonlySet<number>;
  private readonly dayRestricted: boolean;
  private readonly weekdayRestricted: boolean;

  constructor(
    readonly source: string,
    private readonly utc = false,
  ) {
    const fields = source.trim().split(/\s+/);
    if (fields.length !== 5) {
      throw new Error(
        `Cron expression "${source}" must have 5 fields (minute hour day-of-month month day-of-week)`,
      );
    }
    this.minutes = parseField(fields[0], 0, 59, 'minute');
    this.hours = parseField(fields[1], 0, 23, 'hour');
    this.days = parseField(fields[2], 1, 31, 'day-of-month');
    this.months = parseField(fields[3], 1, 12, 'month');
    const weekdays = parseField(fields[4], 0, 7, 'day-of-week');
    this.weekdays = new Set([...weekdays].map((d) => d % 7));
    this.dayRestricted = fields[2] !== '*';
    this.weekdayRestricted = fields[4] !== '*';
  }

  /** Whether the minute containing `date` matches. */
  matches(date: Date): boolean {
    const get = this.utc
      ? [
          date.getUTCMinutes(),
          date.getUTCHours(),
          date.getUTCDate(),
          date.getUTCMonth(),
          date.getUTCDay(),
        ]
      : [date.getMinutes(), date.getHours(), date.getDate(), date.getMonth(), date.getDay()];
    const [minute, hour, day, month, weekday] = get;
    if (!this.minutes.has(minute) || !this.hours.has(hour) || !this.months.has(month + 1)) {
      return false;
    }
    const dayOk = this.days.has(day);
    const weekdayOk = this.weekdays.has(weekday);
    if (this.dayRestricted && this.weekdayRestricted) return dayOk || weekdayOk;
    return dayOk && weekdayOk;
  }

  /** The first matching minute strictly after `after` (searches up to 5 years). */
  next(after: Date): Date {
    const candidate = new Date(after.getTime());
    candidate.setUTCSeconds(0, 0);
    candidate.setTime(candidate.getTime() + 60_000);
    const limit = after.getTime() + 5 * 366 * 24 * 3600_000;
    while (candidate.getTime() <= limit) {
      if (this.matches(candidate)) return candidate;
      candidate.setTime(candidate.getTime() + 60_000);
    }
    throw new Error(`Cron expression "${this.source}" never matches`);
  }
}

function parseField(field: string, min: number, max: number, name: string): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) throw new Error(`Cron ${name} field "${field}" is not valid`);
    const step = match[4] === undefined ? 1 : Number(match[4]);
    let from = min;
    let to = max;
    if (match[1] !== '*') {
      from = Number(match[2]);
      to = match[3] === undefined ? (match[4] === undefined ? from : max) : Number(match[3]);
    }
    if (from < min || to > max || from > to || step < 1) {
      throw new Error(`Cron ${name} field "${field}" is out of range ${min}-${max}`);
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

/** `30s`, `5m`, `1h`, `250ms` or plain seconds → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new Error(`Duration "${text}" is not valid (e.g. 30s, 5m, 1h)`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1_000;
  const ms = Number(match[1]) * unit;
  if (ms < 1_000) throw new Error(`Duration "${text}" is too short (at least 1s)`);
  return ms;
}
