import { isIP } from 'node:net';
import { bool, ConfigError, Env, int, list, oneOf, str } from './env-parsers';

/** Logging, metrics, failed-authentication limit and proxy trust (README, Operations). */
export interface OpsConfig {
  /** `json`: one JSON object per line (pino); `pretty`: Nest's coloured console lines. */
  logFormat: 'json' | 'pretty';
  /** One access-log line per answered request. */
  logRequests: boolean;
  /** The Prometheus listener; undefined when METRICS_PORT=off. Port 0: any free port. */
  metrics?: { host: string; port: number };
  /** Failed authentications (401) per client address and minute before 429; 0 turns it off. */
  authFailureLimit: number;
  /**
   * Proxies whose `X-Forwarded-For` gives the client address (fastify `trustProxy`): addresses,
   * CIDR ranges or proxy-addr's names (`loopback`, `linklocal`, `uniquelocal`). Empty: the
   * socket's address is the client's.
   */
  trustProxy: string[];
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** An address, a CIDR range (`10.0.0.0/8`, `fd00::/8`) or one of proxy-addr's names. */
function proxyEntry(value: string): string {
  const lower = value.toLowerCase();
  if (PROXY_NAMES.includes(lower)) return lower;
  const [address, prefix, extra] = value.split('/');
  const family = isIP(address);
  const maxPrefix = family === 4 ? 32 : 128;
  const prefixOk =
    prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
  if (family === 0 || !prefixOk || extra !== undefined) {
    throw new ConfigError(
      `Invalid TRUST_PROXY entry ${JSON.stringify(value)}: expected addresses or CIDR ranges of your reverse proxies (e.g. 127.0.0.1 or 10.0.0.0/8), or loopback, linklocal, uniquelocal, comma-separated.`,
    );
  }
  return value;
}

/** METRICS_PORT: a port, 0 for any free port, or `off` for no metrics listener. */
function metricsPort(env: Env): number | undefined {
  const value = str(env, 'METRICS_PORT');
  if (value !== undefined && value.toLowerCase() === 'off') return undefined;
  return int(env, 'METRICS_PORT', 9464, 0, 65535);
}

/**
 * The LOG_*, METRICS_*, AUTH_FAILURE_LIMIT and TRUST_PROXY variables. The access log is on by
 * default in json mode and at LOG_LEVEL debug or verbose (which always had one line per request).
 */
export function loadOpsConfig(env: Env, apiPort: number, logLevel: string): OpsConfig {
  const defaultFormat = env.NODE_ENV?.trim() === 'production' ? 'json' : 'pretty';
  const logFormat = oneOf(env, 'LOG_FORMAT', ['json', 'pretty'] as const, defaultFormat);
  const port = metricsPort(env);
  if (port !== undefined && port !== 0 && port === apiPort) {
    throw new ConfigError(
      `Invalid METRICS_PORT=${port}: it must differ from PORT (metrics are never served on the API port).`,
    );
  }
  return {
    logFormat,
    logRequests: bool(
      env,
      'LOG_REQUESTS',
      logFormat === 'json' || logLevel === 'debug' || logLevel === 'verbose',
    ),
    metrics: port === undefined ? undefined : { host: str(env, 'METRICS_HOST', '127.0.0.1'), port },
    authFailureLimit: int(env, 'AUTH_FAILURE_LIMIT', 100, 0, 1_000_000),
    trustProxy: list(env, 'TRUST_PROXY', []).map(proxyEntry),
  };
}
