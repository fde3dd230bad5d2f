import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsServer } from '../../apps/mes-web-api/src/ops';
import { holdWriteLock } from '../faults/fault-support';
import { call, RunningApi, startApi } from '../support/api';
import { serviceToken, userToken } from '../support/tokens';
import { hasTool, promtoolCheck, samples, scrape, sumWhere } from './ops-support';

/*
 * Metrics on their own listener (never on the API port): they move as requests are made, label
 * route patterns (never raw URLs), pass `promtool check metrics`, and the real Prometheus server
 * scrapes them. Under CI=true a missing promtool or prometheus fails the suite.
 */

const PROMTOOL = hasTool('promtool', ['--version'], 'apt-get install prometheus');
const PROMETHEUS = hasTool('prometheus', ['--version'], 'apt-get install prometheus');

describe('ops: Prometheus metrics', () => {
  let api: RunningApi;
  let metricsUrl: string;
  let operator: string;
  let service: string;

  beforeAll(async () => {
    api = await startApi();
    metricsUrl = await api.app.get(MetricsServer).listen('127.0.0.1', 0);
    [operator, service] = await Promise.all([userToken('mes\\operator'), serviceToken()]);
  });
  afterAll(() => api.close());

  it('serves /metrics on its own listener only, never on the API port', async () => {
    expect(new URL(metricsUrl).port).not.toBe(new URL(api.origin).port);
    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect((await fetch(`${new URL(metricsUrl).origin}/other`)).status).toBe(404);
    const onApi = await call(`${api.origin}/metrics`);
    expect(onApi.status).toBe(404);
    expect((await call(`${api.base}/metrics`)).status).toBe(404);
  });

  it('moves as requests are made: requests by route pattern, auth outcomes, caches, authorities', async () => {
    const before = await scrape(metricsUrl);
    const count = (text: string, ...parts: string[]): number =>
      sumWhere(text, 'mes_http_request_duration_seconds_count', ...parts);

    for (const id of [5, 6, 7]) {
      expect(
        (await call(`${api.base}/api/v3/entity/key?entId=${id}`, { token: operator })).status,
      ).toBe(200);
    }
    expect((await call(`${api.base}/api/v3/systemAttribute/199`, { token: service })).status).toBe(
      200,
    );
    expect((await call(`${api.base}/api/v3/systemAttribute/199`)).status).toBe(401);
    expect((await call(`${api.base}/api/v3/systemAttribute/199`, { token: 'x.y.z' })).status).toBe(
      401,
    );
    expect((await call(`${api.base}/no/such/thing/42?x=1`)).status).toBe(404);
    const after = await scrape(metricsUrl);

    const entity = ['route="/mesmw/api/v3/entity/key"', 'method="GET"', 'status="200"'];
    expect(count(after, ...entity) - count(before, ...entity)).toBe(3);
    const attr = ['route="/mesmw/api/v3/systemAttribute/:attrId"', 'method="GET"'];
    expect(count(after, ...attr, 'status="200"') - count(before, ...attr, 'status="200"')).toBe(1);
    expect(count(after, ...attr, 'status="401"') - count(before, ...attr, 'status="401"')).toBe(2);
    expect(count(after, 'route="<unmatched>"', 'status="404"')).toBeGreaterThanOrEqual(1);
    // Label values are route patterns: no raw path, id or query string ever becomes a label.
    const labels = [...samples(after, 'mes_http_request_duration_seconds_count').keys()].join('\n');
    expect(labels).not.toMatch(/entId=|\/systemAttribute\/199|no\/such|\?x=1/);

    const auth = (text: string, outcome: string, reason: string): number =>
      sumWhere(text, 'mes_auth_outcomes_total', `outcome="${outcome}"`, `reason="${reason}"`);
    expect(auth(after, 'accepted', 'user') - auth(before, 'accepted', 'user')).toBe(3);
    expect(auth(after, 'accepted', 'service') - auth(before, 'accepted', 'service')).toBe(1);
    expect(auth(after, 'refused', 'TOKEN_MISSING') - auth(before, 'refused', 'TOKEN_MISSING')).toBe(
      1,
    );
    expect(auth(after, 'refused', 'TOKEN_INVALID') - auth(before, 'refused', 'TOKEN_INVALID')).toBe(
      1,
    );

    const cache = (text: string, name: string, result: string): number =>
      sumWhere(text, name, `result="${result}"`);
    const userCache = (text: string): number =>
      cache(text, 'mes_user_status_cache_total', 'hit') +
      cache(text, 'mes_user_status_cache_total', 'miss');
    expect(userCache(after) - userCache(before)).toBeGreaterThanOrEqual(3);
    const bgCache = (text: string): number =>
      cache(text, 'mes_background_user_cache_total', 'hit') +
      cache(text, 'mes_background_user_cache_total', 'miss');
    expect(bgCache(after) - bgCache(before)).toBeGreaterThanOrEqual(1);

    const issuer = `issuer="${api.config.aim.authorities[0]}"`;
    expect(sumWhere(after, 'mes_authority_state', issuer, 'state="up"')).toBe(1);
    expect(sumWhere(after, 'mes_authority_keys_cached', issuer)).toBeGreaterThanOrEqual(1);
    expect(
      sumWhere(after, 'mes_authority_fetches_total', issuer, 'document="jwks"', 'result="ok"'),
    ).toBeGreaterThanOrEqual(1);
    expect(sumWhere(after, 'mes_database_up')).toBe(1);
    expect(sumWhere(after, 'mes_background_user_valid')).toBe(1);
    expect(sumWhere(after, 'mes_db_transactions_open')).toBe(0);
    expect(after).toMatch(/^process_cpu_seconds_total /m);
    expect(after).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
  });

  it('counts the 503 answers caused by the database (another process holds the write lock)', async () => {
    const supervisor = await userToken('mes\\supervisor');
    const before = await scrape(metricsUrl);
    const lock = holdWriteLock(api.dbPath, 30_000);
    try {
      await lock.locked;
      const write = await call(`${api.base}/api/v3/systemAttribute/100`, {
        method: 'PUT',
        token: supervisor,
        body: { attr_value: 'Locked Site' },
      });
      expect(write.status).toBe(503);
      expect(write.body.code).toBe('DATABASE_UNAVAILABLE');
    } finally {
      await lock.release();
    }
    const after = await scrape(metricsUrl);
    const busy = (text: string): number =>
      sumWhere(text, 'mes_db_unavailable_responses_total', 'code="DATABASE_UNAVAILABLE"');
    expect(busy(after) - busy(before)).toBe(1);
    // The data layer's series: the refused write counted, the statements the database ran timed.
    const refused = (text: string): number => samples(text, 'mes_db_busy_total').get('') ?? 0;
    expect(refused(after) - refused(before)).toBe(1);
    expect(samples(after, 'mes_db_query_duration_seconds_count').get('')).toBeGreaterThan(0);
    expect(samples(after, 'mes_db_writes_committed_total').get('')).toBeGreaterThanOrEqual(0);
  }, 40_000);

  (PROMTOOL ? it : it.skip)('passes promtool check metrics', async () => {
    const text = await scrape(metricsUrl);
    const { status, output } = promtoolCheck(text);
    expect({ status, output }).toEqual({ status: 0, output: '' });
  });

  (PROMETHEUS ? it : it.skip)(
    'is scraped by the real Prometheus server',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mes-prometheus-'));
      const port = await freePort();
      const target = new URL(metricsUrl).host;
      writeFileSync(
        join(dir, 'prometheus.yml'),
        [
          'global: { scrape_interval: 1s, evaluation_interval: 1s }',
          'scrape_configs:',
          '  - job_name: mes-web-api',
          '    metrics_path: /metrics',
          `    static_configs: [{ targets: ["${target}"] }]`,
          '',
        ].join('\n'),
      );
      let prometheus: ChildProcess | undefined;
      let log = '';
      try {
        prometheus = spawn(
          'prometheus',
          [
            `--config.file=${join(dir, 'prometheus.yml')}`,
            `--storage.tsdb.path=${join(dir, 'data')}`,
            `--web.listen-address=127.0.0.1:${port}`,
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        prometheus.stdout?.on('data', (c: Buffer) => (log += c.toString()));
        prometheus.stderr?.on('data', (c: Buffer) => (log += c.toString()));
        const query = async (
          q: string,
        ): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
          const res = await fetch(
            `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`,
          );
          const body = (await res.json()) as { data?: { result?: [] } };
          return body.data?.result ?? [];
        };
        await call(`${api.base}/health`);
        const deadline = Date.now() + 30_000;
        let up: Awaited<ReturnType<typeof query>> = [];
        let requests: Awaited<ReturnType<typeof query>> = [];
        while (Date.now() < deadline) {
          try {
            up = await query('up{job="mes-web-api"}');
            requests = await query(
              'mes_http_request_duration_seconds_count{route="/mesmw/health"}',
            );
            if (up[0]?.value[1] === '1' && requests.length > 0) break;
          } catch {
            // not listening yet
          }
          await new Promise((r) => setTimeout(r, 500));
        }
        expect({ up: up[0]?.value[1], log: up[0]?.value[1] === '1' ? '' : log }).toEqual({
          up: '1',
          log: '',
        });
        expect(Number(requests[0]?.value[1])).toBeGreaterThanOrEqual(1);
      } finally {
        prometheus?.kill('SIGTERM');
        if (prometheus && prometheus.exitCode === null) {
          await new Promise((r) => prometheus?.once('exit', r));
        }
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
