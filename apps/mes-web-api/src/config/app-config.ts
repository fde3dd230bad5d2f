import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { MesSecurityMode } from '@mes-web-api/aim-auth';
import type { MesDatabaseOptions } from '@mes-web-api/mes-database';
import { bool, ConfigError, Env, int, issuerUrl, list, oneOf, redisUrl, str } from './env-parsers';
import { loadOpsConfig, OpsConfig } from './ops-config';

/** The database connection: the lib's options, built from the DB_* variables. */
export type DbConfig = MesDatabaseOptions;

export interface AppConfig {
  http: {
    port: number;
    host: string;
    tls?: { certFile: string; keyFile: string };
    corsOrigins: string[];
    bodyLimitBytes: number;
    shutdownTimeoutMs: number;
  };
  aim: {
    /** Trusted issuers; empty means "the development authority" (see devAuthorityIssuer). */
    authorities: string[];
    useDevAuthority: boolean;
    devPort: number;
    audiences: string[];
    algorithms: string[];
    userClaim: string;
    stripDomain: boolean;
    /** MES_SECURITY_MODE: `os-user` (MES users one by one) or `os-group` (AD groups are MES groups). */
    securityMode: MesSecurityMode;
    /** AIM_GROUP_CLAIM: the claim with the user's group SIDs (os-group); default `role`. */
    groupClaim: string;
    serviceScope: string;
    clockSkewS: number;
  };
  db: DbConfig;
  redisUrl?: string;
  backgroundUserTtlS: number;
  mesUserCacheTtlS: number;
  swaggerExcludeFile?: string;
  /** Serve Swagger UI and the Swagger file under /mesmw/swagger (SWAGGER_UI, default true). */
  swaggerUi: boolean;
  /** Public AIM client Swagger UI logs in with (SWAGGER_UI_CLIENT_ID, default mes-swagger-ui). */
  swaggerClientId: string;
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  directAccess: {
    /** DIRECT_ACCESS_DIR: SQLite procedure files (default: the demo procedures). */
    procedureDir: string;
    /** DIRECT_ACCESS_ALLOW: allowed procedure name patterns (default: all). */
    allow: string[];
    /** DIRECT_ACCESS_PRIV_ID: the privilege DirectAccess needs (default 4, "Direct database access"). */
    privilegeId: number;
  };
  transactions: {
    /** DB_WRITE_WAIT_MS: how long opening one waits for the database (SQLite: the write lock). */
    openWaitMs: number;
    /** MES_TRANSACTION_TIMEOUT_S: an idle transaction is rolled back after this long. */
    idleTimeoutMs: number;
    /** MES_TRANSACTION_MAX_S: any transaction is rolled back after this long. */
    maxLifetimeMs: number;
    /** MES_TRANSACTION_MAX_OPEN: most open at once on this instance. */
    maxOpen: number;
    /** MES_INSTANCE_ID: names this instance in its transaction ids (default host:port). */
    instanceId: string;
    /** IDEMPOTENCY_TTL_S: how long an Idempotency-Key's answer is kept (default 24 h). */
    idempotencyTtlMs: number;
  };
  /** Log format, access log, metrics listener, failed-authentication limit, trusted proxies. */
  ops: OpsConfig;
}

const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
];

/** The MES security modes the Web API runs in (MES Native is refused: it needs a Windows mode). */
const SECURITY_MODES: readonly MesSecurityMode[] = ['os-user', 'os-group'];

/** MES_SECURITY_MODE: `os-user` (default) or `os-group`; `native` gets its own explanation. */
function securityMode(env: Env): MesSecurityMode {
  const value = str(env, 'MES_SECURITY_MODE', 'os-user');
  const match = SECURITY_MODES.find((mode) => mode === value.toLowerCase());
  if (match) return match;
  if (/^(mes[-_ ]?)?native$/i.test(value)) {
    throw new ConfigError(
      `Invalid MES_SECURITY_MODE=${JSON.stringify(value)}: MES Native security is not supported, the Web API needs a Windows security mode; set os-user or os-group.`,
    );
  }
  throw new ConfigError(
    `Invalid MES_SECURITY_MODE=${JSON.stringify(value.slice(0, 40))}: expected one of ${SECURITY_MODES.join(', ')}.`,
  );
}

/** AIM_GROUP_CLAIM: a claim name (printable ASCII, no spaces), at most 200 characters. */
function groupClaim(env: Env): string {
  const value = str(env, 'AIM_GROUP_CLAIM', 'role');
  if (!/^[\x21-\x7e]{1,200}$/.test(value)) {
    throw new ConfigError(
      `Invalid AIM_GROUP_CLAIM=${JSON.stringify(value.slice(0, 40))}: expected the name of the token claim with the user's group SIDs (printable ASCII, no spaces), e.g. role.`,
    );
  }
  return value;
}

export function devAuthorityIssuer(devPort: number): string {
  return `http://127.0.0.1:${devPort}/identitymanager`;
}

export const DEFAULT_SWAGGER_CLIENT_ID = 'mes-swagger-ui';

/** SWAGGER_UI_CLIENT_ID: an OAuth2 client id (RFC 6749 VSCHAR, no spaces), at most 200 chars. */
export function swaggerClientId(env: Env): string {
  const value = str(env, 'SWAGGER_UI_CLIENT_ID', DEFAULT_SWAGGER_CLIENT_ID);
  if (!/^[\x21-\x7e]{1,200}$/.test(value)) {
    throw new ConfigError(
      `Invalid SWAGGER_UI_CLIENT_ID=${JSON.stringify(value.slice(0, 40))}: expected the id of the public AIM client Swagger UI logs in with (printable ASCII, no spaces, at most 200 characters).`,
    );
  }
  return value;
}

/** The demo procedure files (apps/mes-web-api/procedures; copied next to the build). */
export const DEFAULT_PROCEDURE_DIR = resolve(__dirname, '..', '..', 'procedures');

/** MES_INSTANCE_ID: printable, at most 100 characters; default `<host name>:<PORT>`. */
function instanceId(env: Env, port: number): string {
  const value = str(env, 'MES_INSTANCE_ID', `${hostname()}:${port}`);
  if (!/^[\x21-\x7e]{1,100}$/.test(value)) {
    throw new ConfigError(
      `Invalid MES_INSTANCE_ID=${JSON.stringify(value.slice(0, 40))}: expected a name of this instance (printable ASCII, no spaces, at most 100 characters), stable across restarts.`,
    );
  }
  return value;
}

/** Reads and validates the whole configuration; throws ConfigError with one clear line. */
export function loadAppConfig(env: Env = process.env): AppConfig {
  const certFile = str(env, 'TLS_CERT_FILE');
  const keyFile = str(env, 'TLS_KEY_FILE');
  if (Boolean(certFile) !== Boolean(keyFile)) {
    throw new ConfigError('Set both TLS_CERT_FILE and TLS_KEY_FILE to serve HTTPS, or neither.');
  }

  const devPort = int(env, 'AIM_DEV_PORT', 5000, 1, 65535);
  const authorities = list(env, 'AIM_AUTHORITY', []).map((a) => issuerUrl('AIM_AUTHORITY', a));
  const algorithms = list(env, 'AIM_ALGORITHMS', ['RS256']).map((a) => {
    const match = ALGORITHMS.find((x) => x === a.toUpperCase());
    if (!match) {
      throw new ConfigError(
        `Invalid AIM_ALGORITHMS=${JSON.stringify(a)}: expected some of ${ALGORITHMS.join(', ')} (symmetric and "none" are never accepted).`,
      );
    }
    return match;
  });
  const corsOrigins = list(env, 'CORS_ORIGINS', []).map((origin) => {
    if (origin === '*') return origin;
    try {
      const u = new URL(origin);
      if (u.origin !== origin.replace(/\/$/, '')) throw new Error('not an origin');
      return u.origin;
    } catch {
      throw new ConfigError(
        `Invalid CORS_ORIGINS entry ${JSON.stringify(origin)}: expected origins such as https://portal.example.com, comma-separated, or *.`,
      );
    }
  });

  const idleS = int(env, 'MES_TRANSACTION_TIMEOUT_S', 60, 1, 3600);
  const maxS = int(env, 'MES_TRANSACTION_MAX_S', 300, 1, 24 * 3600);
  if (maxS < idleS) {
    throw new ConfigError(
      `MES_TRANSACTION_MAX_S=${maxS} is shorter than MES_TRANSACTION_TIMEOUT_S=${idleS}: the total lifetime of a transaction must not be shorter than its idle timeout.`,
    );
  }
  const transactionsMaxOpen = int(env, 'MES_TRANSACTION_MAX_OPEN', 50, 1, 1000);
  const writeWaitMs = int(env, 'DB_WRITE_WAIT_MS', 5000, 0, 120_000);
  const port = int(env, 'PORT', 3000, 0, 65535);

  const dbType = oneOf(env, 'DB_TYPE', ['sqlite', 'mssql'] as const, 'sqlite');
  let db: DbConfig;
  if (dbType === 'sqlite') {
    db = {
      type: 'sqlite',
      path: str(env, 'DB_PATH', './data/mes.sqlite'),
      transactionsMaxOpen,
      writeWaitMs,
    };
  } else {
    const host = str(env, 'DB_HOST');
    const database = str(env, 'DB_NAME');
    if (!host) throw new ConfigError('DB_TYPE=mssql needs DB_HOST (the SQL Server host name).');
    if (!database) throw new ConfigError('DB_TYPE=mssql needs DB_NAME (the MES database name).');
    db = {
      type: 'mssql',
      host,
      port: int(env, 'DB_PORT', 1433, 1, 65535),
      database,
      username: str(env, 'DB_USER'),
      password:
        env.DB_PASSWORD === undefined || env.DB_PASSWORD === '' ? undefined : env.DB_PASSWORD,
      encrypt: bool(env, 'DB_ENCRYPT', true),
      trustServerCertificate: bool(env, 'DB_TRUST_SERVER_CERTIFICATE', false),
      connectTimeoutMs: int(env, 'DB_CONNECT_TIMEOUT_S', 15, 1, 300) * 1000,
      requestTimeoutMs: int(env, 'DB_REQUEST_TIMEOUT_S', 30, 1, 3600) * 1000,
      poolMax: int(env, 'DB_POOL_MAX', 10, 1, 500),
      transactionsMaxOpen,
      writeWaitMs,
    };
  }

  const logLevel = oneOf(
    env,
    'LOG_LEVEL',
    ['error', 'warn', 'log', 'debug', 'verbose'] as const,
    'log',
  );
  return {
    http: {
      port,
      host: str(env, 'HOST', '127.0.0.1'),
      tls: certFile && keyFile ? { certFile, keyFile } : undefined,
      corsOrigins,
      bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
      shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_S', 10, 1, 600) * 1000,
    },
    aim: {
      authorities: authorities.length > 0 ? authorities : [devAuthorityIssuer(devPort)],
      useDevAuthority: authorities.length === 0,
      devPort,
      audiences: list(env, 'AIM_AUDIENCE', ['system']),
      algorithms,
      userClaim: str(env, 'AIM_USER_CLAIM', 'preferred_username'),
      stripDomain: bool(env, 'AIM_STRIP_DOMAIN', false),
      securityMode: securityMode(env),
      groupClaim: groupClaim(env),
      serviceScope: str(env, 'AIM_SERVICE_SCOPE', 'system'),
      clockSkewS: int(env, 'AIM_CLOCK_SKEW_S', 60, 0, 3600),
    },
    db,
    redisUrl: redisUrl(env, 'REDIS_URL'),
    backgroundUserTtlS: int(env, 'BACKGROUND_USER_TTL_S', 3600, 1, 7 * 24 * 3600),
    mesUserCacheTtlS: int(env, 'MES_USER_CACHE_TTL_S', 30, 0, 3600),
    swaggerExcludeFile: str(env, 'MES_SWAGGER_EXCLUDE_FILE'),
    swaggerUi: bool(env, 'SWAGGER_UI', true),
    swaggerClientId: swaggerClientId(env),
    logLevel,
    directAccess: {
      procedureDir: resolve(str(env, 'DIRECT_ACCESS_DIR', DEFAULT_PROCEDURE_DIR)),
      allow: list(env, 'DIRECT_ACCESS_ALLOW', ['*']).map((pattern) => {
        if (!/^[A-Za-z0-9_.*?]{1,130}$/.test(pattern)) {
          throw new ConfigError(
            `Invalid DIRECT_ACCESS_ALLOW entry ${JSON.stringify(pattern.slice(0, 40))}: expected procedure name patterns (letters, digits, _, ., * and ?), comma-separated, e.g. sp_SA_*,sp_S_*.`,
          );
        }
        return pattern;
      }),
      privilegeId: int(env, 'DIRECT_ACCESS_PRIV_ID', 4, 1, 2_147_483_647),
    },
    transactions: {
      openWaitMs: Math.max(writeWaitMs, 1),
      idleTimeoutMs: idleS * 1000,
      maxLifetimeMs: maxS * 1000,
      maxOpen: transactionsMaxOpen,
      instanceId: instanceId(env, port),
      idempotencyTtlMs: int(env, 'IDEMPOTENCY_TTL_S', 86_400, 60, 30 * 86_400) * 1000,
    },
    ops: loadOpsConfig(env, port, logLevel),
  };
}
