import { Injectable } from '@nestjs/common';
import { AimTokenVerifier, AuthorityStatus } from '@mes/aim-auth';
import { BackgroundUserService, BackgroundUserStatus } from '@mes/background-user';
import { DatabaseHealth, DatabaseHealthService } from '@mes/mes-database';
import { MesTransactions } from '@mes/mes-transactions';

export interface HealthReport {
  /** `ok`: everything up; `degraded`: the database is up but something else is not; `down`: no database. */
  status: 'ok' | 'degraded' | 'down';
  checked_at: string;
  database: DatabaseHealth;
  authorities: AuthorityStatus[];
  background_user: BackgroundUserStatus;
  /** Open MES transactions on this instance. */
  transactions: { open: number; oldest_age_s: number };
}

/** How long one health report is reused: a flood of health checks costs one database round trip a second. */
const REPORT_TTL_MS = 1000;

/** 503 when the database is down (status `down`), else 200. */
export function healthStatusCode(report: HealthReport): number {
  return report.status === 'down' ? 503 : 200;
}

@Injectable()
export class HealthService {
  private last?: { at: number; report: Promise<HealthReport> };

  constructor(
    private readonly database: DatabaseHealthService,
    private readonly verifier: AimTokenVerifier,
    private readonly backgroundUser: BackgroundUserService,
    private readonly transactions: MesTransactions,
  ) {}

  report(): Promise<HealthReport> {
    return this.current().report;
  }

  private current(): NonNullable<HealthService['last']> {
    const now = Date.now();
    if (this.last && now - this.last.at < REPORT_TTL_MS) return this.last;
    this.last = { at: now, report: this.build(now) };
    return this.last;
  }

  private async build(now: number): Promise<HealthReport> {
    const [database, backgroundUser] = await Promise.all([
      this.database.check(),
      this.backgroundUser.status(),
    ]);
    const authorities = this.verifier.authorityStatus();
    const everythingUp =
      backgroundUser.valid &&
      backgroundUser.cacheHealthy &&
      authorities.every((a) => a.state !== 'unreachable');
    return {
      status: database.status !== 'up' ? 'down' : everythingUp ? 'ok' : 'degraded',
      checked_at: new Date(now).toISOString(),
      database,
      authorities,
      background_user: backgroundUser,
      transactions: {
        open: this.transactions.stats(now).open,
        oldest_age_s: this.transactions.stats(now).oldestAgeS,
      },
    };
  }
}
