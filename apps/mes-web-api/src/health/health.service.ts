import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AimTokenVerifier, AuthorityStatus } from '@mes-web-api/aim-auth';
import { BackgroundUserService, BackgroundUserStatus } from '@mes-web-api/background-user';
import { DatabaseHealth, DatabaseHealthService } from '@mes-web-api/mes-database';
import { MesTransactions } from '@mes-web-api/mes-transactions';

/** The whole report: issuers, the background user, cache state. Authenticated route only. */
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

/** What anyone may see (`GET /mesmw/health`): status words only, no issuer, no user id. */
export interface PublicHealth {
  status: HealthReport['status'];
  database: 'up' | 'down';
  /** `pending`: not contacted yet (no token verified, no readiness check yet). */
  authorities: 'up' | 'unreachable' | 'pending';
  background_user: 'valid' | 'invalid';
  cache: 'healthy' | 'unhealthy';
}

/** `GET /mesmw/health/ready`. */
export interface Readiness {
  status: 'ready' | 'not ready';
  database: 'up' | 'down';
  /** `reached`: every trusted authority has answered at least once since start. */
  authorities: 'reached' | 'pending';
  /** Present while the process shuts down. */
  shutdown?: 'in progress';
}

/** How long one health report is reused: a flood of health checks costs one database round trip a second. */
const REPORT_TTL_MS = 1000;
/** A readiness check waits at most this long for the authorities' first answer. */
const WARM_UP_WAIT_MS = 1000;
/** Authorities not reached yet are asked again at most this often. */
const WARM_UP_INTERVAL_MS = 1000;

/** 503 when the database is down (status `down`), else 200. */
export function healthStatusCode(report: { status: HealthReport['status'] }): number {
  return report.status === 'down' ? 503 : 200;
}

/** The status words of a report (what the public health answer shows). */
export function publicHealth(report: HealthReport): PublicHealth {
  const authorities = report.authorities.some((a) => a.state === 'unreachable')
    ? 'unreachable'
    : report.authorities.every((a) => a.state === 'up')
      ? 'up'
      : 'pending';
  return {
    status: report.status,
    database: report.database.status === 'up' ? 'up' : 'down',
    authorities,
    background_user: report.background_user.valid ? 'valid' : 'invalid',
    cache: report.background_user.cacheHealthy ? 'healthy' : 'unhealthy',
  };
}

@Injectable()
export class HealthService implements OnModuleDestroy {
  private last?: { at: number; report: Promise<HealthReport> };
  private shuttingDown = false;
  private warmUp?: Promise<void>;
  private lastWarmUpAt = 0;

  constructor(
    private readonly database: DatabaseHealthService,
    private readonly verifier: AimTokenVerifier,
    private readonly backgroundUser: BackgroundUserService,
    private readonly transactions: MesTransactions,
  ) {}

  /** Shutdown has begun (Nest calls this first, before the server stops): not ready any more. */
  onModuleDestroy(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  report(): Promise<HealthReport> {
    return this.current().report;
  }

  /**
   * Ready to take traffic: the database answers, every trusted authority has been reached once
   * (its keys are known, so tokens can be verified), and shutdown has not begun. Authorities not
   * reached yet are contacted now (at most once a second), and the answer waits up to a second.
   */
  async readiness(): Promise<Readiness> {
    let reached = this.authoritiesReached();
    if (!reached && !this.shuttingDown) {
      await Promise.race([
        this.contactAuthorities(),
        new Promise((resolve) => setTimeout(resolve, WARM_UP_WAIT_MS).unref()),
      ]);
      reached = this.authoritiesReached();
    }
    const report = await this.report();
    const database = report.database.status === 'up' ? 'up' : 'down';
    const ready = !this.shuttingDown && database === 'up' && reached;
    return {
      status: ready ? 'ready' : 'not ready',
      database,
      authorities: reached ? 'reached' : 'pending',
      ...(this.shuttingDown ? { shutdown: 'in progress' as const } : {}),
    };
  }

  /** Fetches the keys of authorities not reached yet (single flight, at most once a second). */
  contactAuthorities(): Promise<void> {
    if (this.warmUp) return this.warmUp;
    if (Date.now() - this.lastWarmUpAt < WARM_UP_INTERVAL_MS) return Promise.resolve();
    this.lastWarmUpAt = Date.now();
    this.warmUp = this.verifier
      .warmUp()
      .catch(() => undefined)
      .finally(() => (this.warmUp = undefined));
    return this.warmUp;
  }

  private authoritiesReached(): boolean {
    return this.verifier.authorityStatus().every((a) => a.lastContactAt !== undefined);
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
