import { MesWebApiClient } from '@mes-web-api/web-api-client';
import { CronExpression } from './cron';
import { startScheduler } from './scheduler';

describe('startScheduler', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2025, 0, 1, 10, 0, 30) }));
  afterEach(() => jest.useRealTimers());

  function clientAnswering(status: number, body: unknown) {
    const calls: string[] = [];
    const fetch = (async (input: string | URL | Request) => {
      calls.push(input instanceof Request ? input.url : input.toString());
      return Response.json(body, { status });
    }) as typeof globalThis.fetch;
    const client = new MesWebApiClient({
      logger: false,
      fetch,
      retries: 0,
      definitions: [
        {
          Name: 'usr',
          'Base Address': 'http://127.0.0.1:7002/mesmw/',
          'Authentication Mode': 'User Access Token',
        },
      ],
    });
    return { client, calls };
  }

  it('runs at once, then on every interval, logging status and duration but no token', async () => {
    const { client, calls } = clientAnswering(200, []);
    const lines: string[] = [];
    const scheduler = startScheduler(
      {
        definition: 'usr',
        method: 'GET',
        route: 'api/v3/entity',
        request: { userToken: 'secret-user-token' },
      },
      { everyMs: 60_000 },
      { client, log: (line) => lines.push(line) },
    );
    await jest.advanceTimersByTimeAsync(120_000);
    await scheduler.stop();
    expect(calls).toHaveLength(3);
    expect(scheduler.runs).toBe(3);
    expect(lines[0]).toMatch(/^GET api\/v3\/entity via "usr" → 200 in \d+ ms \(attempts: 1\)$/);
    expect(lines.join('\n')).not.toContain('secret-user-token');
  });

  it('runs on cron minutes and logs MES errors', async () => {
    const { client, calls } = clientAnswering(404, {
      detail: 'The specified entity does not exist',
    });
    const lines: string[] = [];
    const scheduler = startScheduler(
      { definition: 'usr', method: 'GET', route: 'api/v3/entity', request: { userToken: 't' } },
      { cron: new CronExpression('*/2 * * * *', true) },
      { client, log: (line) => lines.push(line) },
    );
    expect(lines[0]).toBe('next run at 2025-01-01T10:02:00.000Z (cron "*/2 * * * *")');
    await jest.advanceTimersByTimeAsync(89_000); // 10:01:59
    expect(calls).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(2_000); // 10:02:01
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(120_000);
    await scheduler.stop();
    expect(calls).toHaveLength(2);
    expect(lines[1]).toMatch(/→ HTTP 404 in \d+ ms: The specified entity does not exist$/);
  });
});
