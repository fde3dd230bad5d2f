import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Counter, Gauge } from 'prom-client';
import { AimTokenVerifier, MesUserDirectory } from '@mes-web-api/aim-auth';
import { BackgroundUserService } from '@mes-web-api/background-user';
import { MesDb } from '@mes-web-api/common';
import { MesTransactions } from '@mes-web-api/mes-transactions';
import { HealthService } from '../../health/health.service';
import { MesMetrics } from './mes-metrics';

const AUTHORITY_STATES = ['up', 'unreachable', 'not contacted yet'] as const;

/**
 * Metrics read at scrape time from the state the libraries keep (no per-request work): each
 * authority's state, cached keys and fetches; the background-user and user-status caches; the
 * database, the background user and readiness from the health report (reused for a second).
 * What the public health answer no longer shows (issuers, cache state) is here, on the
 * metrics listener only.
 */
@Injectable()
export class StateMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MesMetrics,
    private readonly verifier: AimTokenVerifier,
    private readonly backgroundUser: BackgroundUserService,
    private readonly health: HealthService,
    private readonly moduleRef: ModuleRef,
    private readonly db: MesDb,
    private readonly transactions: MesTransactions,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    const verifier = this.verifier;
    const backgroundUser = this.backgroundUser;
    const health = this.health;
    const userDirectory = this.userDirectory();
    const db = this.db;
    const transactions = this.transactions;
    const metrics = this.metrics;
    db.onQuery((event) => metrics.observeDbQuery(event.durationMs / 1000));

    new Counter({
      name: 'mes_db_busy_total',
      help: 'Writes and MES transactions refused with 503 because the database stayed busy (SQLite: write lock; SQL Server: deadlocks).',
      registers,
      collect() {
        this.reset();
        this.inc(db.stats().busyRefusals);
      },
    });
    new Gauge({
      name: 'mes_db_writers_waiting',
      help: 'Writes waiting for the write lock right now (SQLite).',
      registers,
      collect() {
        this.set(db.stats().writersWaiting);
      },
    });
    new Counter({
      name: 'mes_db_writes_committed_total',
      help: 'Auto-committed writes (outside MES transactions) committed.',
      registers,
      collect() {
        this.reset();
        this.inc(db.stats().writesCommitted);
      },
    });
    new Counter({
      name: 'mes_db_commits_total',
      help: 'COMMITs of auto-committed writes (SQLite commits the writes of one event-loop turn together).',
      registers,
      collect() {
        this.reset();
        this.inc(db.stats().commits);
      },
    });
    new Counter({
      name: 'mes_db_read_cache_total',
      help: 'Reads of committed data answered from kept results (hit) or run (miss); SQLite only.',
      labelNames: ['result'] as const,
      registers,
      collect() {
        this.reset();
        const stats = db.stats();
        this.inc({ result: 'hit' }, stats.readCacheHits);
        this.inc({ result: 'miss' }, stats.readCacheMisses);
      },
    });
    new Gauge({
      name: 'mes_db_transactions_open',
      help: 'MES transactions (trans_id) open on this instance.',
      registers,
      collect() {
        this.set(transactions.stats().open);
      },
    });
    new Gauge({
      name: 'mes_db_transaction_oldest_age_seconds',
      help: 'How long the oldest open MES transaction has been open (0 when none).',
      registers,
      collect() {
        this.set(transactions.stats().oldestAgeS);
      },
    });
    new Counter({
      name: 'mes_db_transactions_total',
      help: 'MES transactions ended, by outcome (committed, rolled_back, expired: idle timeout or lifetime).',
      labelNames: ['outcome'] as const,
      registers,
      collect() {
        this.reset();
        const stats = transactions.stats();
        this.inc({ outcome: 'committed' }, stats.committed);
        this.inc({ outcome: 'rolled_back' }, stats.rolledBack);
        this.inc({ outcome: 'expired' }, stats.expired);
      },
    });

    new Gauge({
      name: 'mes_authority_state',
      help: 'State of each trusted token authority: 1 for its current state (up, unreachable, not contacted yet).',
      labelNames: ['issuer', 'state'] as const,
      registers,
      collect() {
        this.reset();
        for (const a of verifier.authorityStatus()) {
          for (const state of AUTHORITY_STATES) {
            this.set({ issuer: a.issuer, state }, a.state === state ? 1 : 0);
          }
        }
      },
    });
    new Gauge({
      name: 'mes_authority_keys_cached',
      help: 'Signing keys known for each trusted authority.',
      labelNames: ['issuer'] as const,
      registers,
      collect() {
        this.reset();
        for (const a of verifier.authorityStatus()) this.set({ issuer: a.issuer }, a.keysCached);
      },
    });
    new Counter({
      name: 'mes_authority_fetches_total',
      help: 'Fetches from each trusted authority since start, by document (discovery, jwks) and result (ok, failed).',
      labelNames: ['issuer', 'document', 'result'] as const,
      registers,
      collect() {
        this.reset();
        for (const a of verifier.authorityStatus()) {
          const issuer = a.issuer;
          this.inc({ issuer, document: 'discovery', result: 'ok' }, a.discoveryFetches);
          this.inc({ issuer, document: 'discovery', result: 'failed' }, a.discoveryFailures);
          this.inc({ issuer, document: 'jwks', result: 'ok' }, a.keyFetches);
          this.inc({ issuer, document: 'jwks', result: 'failed' }, a.keyFetchFailures);
        }
      },
    });
    new Counter({
      name: 'mes_background_user_cache_total',
      help: 'Background-user lookups: answered from the cache (hit) or loaded from the database (miss).',
      labelNames: ['result'] as const,
      registers,
      collect() {
        this.reset();
        const { hits, misses } = backgroundUser.stats();
        this.inc({ result: 'hit' }, hits);
        this.inc({ result: 'miss' }, misses);
      },
    });
    new Counter({
      name: 'mes_user_status_cache_total',
      help: 'Active-MES-user checks of user tokens: answered from the cache (hit) or read from the database (miss).',
      labelNames: ['result'] as const,
      registers,
      collect() {
        this.reset();
        const stats = userDirectory?.stats();
        this.inc({ result: 'hit' }, stats?.hits ?? 0);
        this.inc({ result: 'miss' }, stats?.misses ?? 0);
      },
    });
    new Gauge({
      name: 'mes_user_status_cache_entries',
      help: 'MES users whose active check is cached.',
      registers,
      collect() {
        this.set(userDirectory?.stats().size ?? 0);
      },
    });
    new Gauge({
      name: 'mes_token_memo_entries',
      help: 'Verified access tokens remembered (no verification needed while remembered).',
      registers,
      collect() {
        this.set(verifier.memoSize);
      },
    });
    new Gauge({
      name: 'mes_health_status',
      help: 'Health of this instance: 1 for the current status (ok, degraded, down), as GET /mesmw/health answers.',
      labelNames: ['status'] as const,
      registers,
      async collect() {
        const report = await health.report();
        for (const status of ['ok', 'degraded', 'down'] as const) {
          this.set({ status }, report.status === status ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: 'mes_database_up',
      help: 'Whether the MES database answers SELECT 1 (1) or not (0).',
      registers,
      async collect() {
        this.set((await health.report()).database.status === 'up' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'mes_background_user_valid',
      help: 'Whether attribute 199 names an existing, active MES user (1) or not (0).',
      registers,
      async collect() {
        this.set((await health.report()).background_user.valid ? 1 : 0);
      },
    });
    new Gauge({
      name: 'mes_background_user_cache_healthy',
      help: 'Whether the background-user cache (memory or redis) is reachable (1) or not (0).',
      labelNames: ['cache'] as const,
      registers,
      async collect() {
        this.reset();
        const { cache, cacheHealthy } = (await health.report()).background_user;
        this.set({ cache }, cacheHealthy ? 1 : 0);
      },
    });
    new Gauge({
      name: 'mes_ready',
      help: 'Whether GET /mesmw/health/ready answers 200 (1) or 503 (0).',
      registers,
      async collect() {
        this.set((await health.readiness()).status === 'ready' ? 1 : 0);
      },
    });
  }

  /** The user strategy's directory, when the app has AimUserAuthModule (it is not exported by it). */
  private userDirectory(): MesUserDirectory | undefined {
    try {
      return this.moduleRef.get(MesUserDirectory, { strict: false });
    } catch {
      return undefined;
    }
  }
}
