import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import { CounterSeries, HistogramSeries, SeriesCounter, SeriesHistogram } from './series-metrics';

/** The route label of requests that matched no route: label values stay a bounded set. */
export const UNMATCHED_ROUTE = '<unmatched>';

/** Seconds; from well under a millisecond (cached reads) to the 10 s a slow SQL Server call may take. */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

const LINT_FAILING_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** How a request's authentication ended (`mes_auth_outcomes_total`). */
export type AuthOutcome = 'accepted' | 'refused' | 'error' | 'limited';

/**
 * The API's Prometheus metrics, in one registry of their own (served on the metrics listener,
 * never on the API port). The two recorded per request are series looked up in small maps and
 * updated with plain arithmetic (series-metrics.ts), as is the statement-time histogram; the rest
 * are prom-client's own.
 * Query times come from the data layer (`MesDb.onQuery`, wired in StateMetrics); its counters
 * and the open MES transactions are read at scrape time (state-metrics.ts).
 */
@Injectable()
export class MesMetrics {
  readonly registry = new Registry();

  private readonly requests = new SeriesHistogram(
    'mes_http_request_duration_seconds',
    'Time to answer an HTTP request, by route pattern, method and status (its _count counts requests).',
    this.registry,
    LATENCY_BUCKETS,
  );
  private readonly requestSeries = new Map<string, Map<string, Map<number, HistogramSeries>>>();

  private readonly auth = new SeriesCounter(
    'mes_auth_outcomes_total',
    'Authentication outcomes of requests to protected routes: accepted (reason user or service), refused (401/403 code), error (500 code), limited (429).',
    this.registry,
  );
  private readonly authSeries = new Map<string, Map<string, CounterSeries>>();

  /** One series without labels: a write runs several statements, each observed. */
  private readonly dbQuery = new SeriesHistogram(
    'mes_db_query_duration_seconds',
    'Time of one statement the database ran (SQLite: kept read results are not counted).',
    this.registry,
    LATENCY_BUCKETS,
  ).series({});

  private readonly dbUnavailable = new Counter({
    name: 'mes_db_unavailable_responses_total',
    help: 'Answers 503 because of the database, by problem code (DATABASE_UNAVAILABLE, DATABASE_READ_ONLY).',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Gauges named like counters (promtool's lint refuses them); the same counts stay available
    // by type in nodejs_active_handles, nodejs_active_requests and nodejs_active_resources.
    for (const name of LINT_FAILING_DEFAULTS) this.registry.removeSingleMetric(name);
  }

  /** One answered request (seconds from the request's arrival to the end of the answer). */
  observeRequest(route: string, method: string, status: number, seconds: number): void {
    let byMethod = this.requestSeries.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      this.requestSeries.set(route, byMethod);
    }
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let series = byStatus.get(status);
    if (series === undefined) {
      series = this.requests.series({ route, method, status: String(status) });
      byStatus.set(status, series);
    }
    series.observe(seconds);
  }

  /** One authentication outcome; `reason` is `user`/`service` or the problem code. */
  countAuth(outcome: AuthOutcome, reason: string): void {
    let byReason = this.authSeries.get(outcome);
    if (byReason === undefined) {
      byReason = new Map();
      this.authSeries.set(outcome, byReason);
    }
    let series = byReason.get(reason);
    if (series === undefined) {
      series = this.auth.series({ outcome, reason });
      byReason.set(reason, series);
    }
    series.inc();
  }

  /** One 503 answer caused by the database (`DATABASE_UNAVAILABLE` or `DATABASE_READ_ONLY`). */
  countDatabaseUnavailable(code: string): void {
    this.dbUnavailable.labels(code).inc();
  }

  /** The duration of one statement the database ran, in seconds. */
  observeDbQuery(seconds: number): void {
    this.dbQuery.observe(seconds);
  }

  /** The exposition (Prometheus text format 0.0.4) and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
