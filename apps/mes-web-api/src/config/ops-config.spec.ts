import { loadAppConfig } from './app-config';
import { ConfigError } from './env-parsers';

function errorOf(env: Record<string, string>): string {
  try {
    loadAppConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('operations settings (LOG_*, METRICS_*, AUTH_FAILURE_LIMIT, TRUST_PROXY)', () => {
  it('defaults: pretty logs without access log, metrics on 127.0.0.1:9464, 100 failures a minute', () => {
    expect(loadAppConfig({}).ops).toEqual({
      logFormat: 'pretty',
      logRequests: false,
      metrics: { host: '127.0.0.1', port: 9464 },
      authFailureLimit: 100,
      trustProxy: [],
    });
  });

  it('NODE_ENV=production means json logs with the access log', () => {
    expect(loadAppConfig({ NODE_ENV: 'production' }).ops).toMatchObject({
      logFormat: 'json',
      logRequests: true,
    });
    expect(loadAppConfig({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }).ops.logRequests).toBe(
      false,
    );
    expect(loadAppConfig({ NODE_ENV: 'production', LOG_REQUESTS: 'off' }).ops.logRequests).toBe(
      false,
    );
  });

  it('LOG_LEVEL=debug keeps its line per request in pretty mode', () => {
    expect(loadAppConfig({ LOG_LEVEL: 'debug' }).ops.logRequests).toBe(true);
    expect(loadAppConfig({ LOG_LEVEL: 'debug', LOG_REQUESTS: 'false' }).ops.logRequests).toBe(
      false,
    );
  });

  it('reads every variable', () => {
    expect(
      loadAppConfig({
        LOG_FORMAT: 'JSON',
        LOG_REQUESTS: 'false',
        METRICS_HOST: '0.0.0.0',
        METRICS_PORT: '9100',
        AUTH_FAILURE_LIMIT: '0',
        TRUST_PROXY: '127.0.0.1, 10.0.0.0/8, fd00::/8, Loopback',
      }).ops,
    ).toEqual({
      logFormat: 'json',
      logRequests: false,
      metrics: { host: '0.0.0.0', port: 9100 },
      authFailureLimit: 0,
      trustProxy: ['127.0.0.1', '10.0.0.0/8', 'fd00::/8', 'loopback'],
    });
  });

  it('METRICS_PORT=off: no listener; 0: any free port', () => {
    expect(loadAppConfig({ METRICS_PORT: 'off' }).ops.metrics).toBeUndefined();
    expect(loadAppConfig({ METRICS_PORT: '0' }).ops.metrics).toEqual({
      host: '127.0.0.1',
      port: 0,
    });
    expect(loadAppConfig({ PORT: '0', METRICS_PORT: '0' }).ops.metrics?.port).toBe(0);
  });

  it.each([
    [{ LOG_FORMAT: 'xml' }, 'Invalid LOG_FORMAT="xml": expected one of json, pretty.'],
    [{ LOG_REQUESTS: 'sometimes' }, 'Invalid LOG_REQUESTS="sometimes": expected true or false.'],
    [{ METRICS_PORT: 'nine' }, 'Invalid METRICS_PORT="nine": expected an integer from 0 to 65535.'],
    [
      { PORT: '9464' },
      'Invalid METRICS_PORT=9464: it must differ from PORT (metrics are never served on the API port).',
    ],
    [
      { PORT: '8080', METRICS_PORT: '8080' },
      'Invalid METRICS_PORT=8080: it must differ from PORT (metrics are never served on the API port).',
    ],
    [
      { AUTH_FAILURE_LIMIT: '-5' },
      'Invalid AUTH_FAILURE_LIMIT="-5": expected an integer from 0 to 1000000.',
    ],
    [
      { TRUST_PROXY: 'true' },
      'Invalid TRUST_PROXY entry "true": expected addresses or CIDR ranges of your reverse proxies (e.g. 127.0.0.1 or 10.0.0.0/8), or loopback, linklocal, uniquelocal, comma-separated.',
    ],
    [
      { TRUST_PROXY: '10.0.0.0/33' },
      'Invalid TRUST_PROXY entry "10.0.0.0/33": expected addresses or CIDR ranges of your reverse proxies (e.g. 127.0.0.1 or 10.0.0.0/8), or loopback, linklocal, uniquelocal, comma-separated.',
    ],
  ])('rejects %j with one clear line', (env, message) => {
    const text = errorOf(env);
    expect(text).toBe(message);
    expect(text).not.toContain('\n');
  });
});
