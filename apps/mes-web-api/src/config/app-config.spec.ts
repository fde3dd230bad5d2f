import { devAuthorityIssuer, loadAppConfig } from './app-config';
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

describe('loadAppConfig', () => {
  it('gives the documented defaults with an empty environment', () => {
    const config = loadAppConfig({});
    expect(config.http).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      corsOrigins: [],
      tls: undefined,
    });
    expect(config.db).toEqual({
      type: 'sqlite',
      path: './data/mes.sqlite',
      transactionsMaxOpen: 50,
      writeWaitMs: 5000,
    });
    expect(config.transactions).toEqual({
      openWaitMs: 5000,
      idleTimeoutMs: 60_000,
      maxLifetimeMs: 300_000,
      maxOpen: 50,
      instanceId: expect.stringMatching(/:3000$/),
      idempotencyTtlMs: 86_400_000,
    });
    expect(config.aim).toMatchObject({
      authorities: [devAuthorityIssuer(5000)],
      useDevAuthority: true,
      audiences: ['system'],
      algorithms: ['RS256'],
      userClaim: 'preferred_username',
      stripDomain: false,
      securityMode: 'os-user',
      groupClaim: 'role',
      serviceScope: 'system',
      clockSkewS: 60,
    });
    expect(config.redisUrl).toBeUndefined();
    expect(config.backgroundUserTtlS).toBe(3600);
    expect(config.mesUserCacheTtlS).toBe(30);
  });

  it('reads every variable of the contract', () => {
    const config = loadAppConfig({
      PORT: '8443',
      HOST: '0.0.0.0',
      AIM_AUTHORITY: 'https://sms1/identitymanager, https://sms2/identitymanager/',
      AIM_AUDIENCE: 'system,mes',
      AIM_USER_CLAIM: 'sub',
      AIM_STRIP_DOMAIN: 'true',
      AIM_SERVICE_SCOPE: 'mes.api',
      AIM_CLOCK_SKEW_S: '5',
      AIM_DEV_PORT: '5050',
      DB_TYPE: 'MSSQL',
      DB_HOST: 'sql1',
      DB_PORT: '14333',
      DB_NAME: 'MES',
      DB_USER: 'mes_api',
      DB_PASSWORD: 'pw',
      DB_ENCRYPT: 'false',
      DB_TRUST_SERVER_CERTIFICATE: 'yes',
      REDIS_URL: 'redis://127.0.0.1:6379',
      BACKGROUND_USER_TTL_S: '120',
      CORS_ORIGINS: 'https://portal.example.com',
    });
    expect(config.http.port).toBe(8443);
    expect(config.aim.authorities).toEqual([
      'https://sms1/identitymanager',
      'https://sms2/identitymanager',
    ]);
    expect(config.aim.useDevAuthority).toBe(false);
    expect(config.aim.audiences).toEqual(['system', 'mes']);
    expect(config.aim.stripDomain).toBe(true);
    expect(config.db).toMatchObject({
      type: 'mssql',
      host: 'sql1',
      port: 14333,
      database: 'MES',
      encrypt: false,
      trustServerCertificate: true,
    });
    expect(config.backgroundUserTtlS).toBe(120);
    expect(config.http.corsOrigins).toEqual(['https://portal.example.com']);
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid PORT="abc": expected an integer from 0 to 65535.'],
    [{ PORT: '70000' }, 'Invalid PORT="70000": expected an integer from 0 to 65535.'],
    [{ DB_TYPE: 'oracle' }, 'Invalid DB_TYPE="oracle": expected one of sqlite, mssql.'],
    [
      { AIM_AUTHORITY: 'not a url' },
      'Invalid AIM_AUTHORITY="not a url": expected absolute issuer URLs such as https://sms1/identitymanager.',
    ],
    [
      { AIM_AUTHORITY: 'http://sms1/identitymanager' },
      'Invalid AIM_AUTHORITY="http://sms1/identitymanager": expected https URLs (plain http is allowed only for loopback hosts).',
    ],
    [{ AIM_STRIP_DOMAIN: 'maybe' }, 'Invalid AIM_STRIP_DOMAIN="maybe": expected true or false.'],
    [
      { AIM_CLOCK_SKEW_S: '-1' },
      'Invalid AIM_CLOCK_SKEW_S="-1": expected an integer from 0 to 3600.',
    ],
    [
      { BACKGROUND_USER_TTL_S: '0' },
      'Invalid BACKGROUND_USER_TTL_S="0": expected an integer from 1 to 604800.',
    ],
    [
      { DB_TYPE: 'mssql', DB_NAME: 'MES' },
      'DB_TYPE=mssql needs DB_HOST (the SQL Server host name).',
    ],
    [{ DB_TYPE: 'mssql', DB_HOST: 'sql1' }, 'DB_TYPE=mssql needs DB_NAME (the MES database name).'],
    [
      { TLS_CERT_FILE: 'cert.pem' },
      'Set both TLS_CERT_FILE and TLS_KEY_FILE to serve HTTPS, or neither.',
    ],
    [
      { CORS_ORIGINS: 'portal' },
      'Invalid CORS_ORIGINS entry "portal": expected origins such as https://portal.example.com, comma-separated, or *.',
    ],
    [
      { AIM_ALGORITHMS: 'HS256' },
      'Invalid AIM_ALGORITHMS="HS256": expected some of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512 (symmetric and "none" are never accepted).',
    ],
  ])('rejects %j with one clear line', (env, message) => {
    const text = errorOf(env);
    expect(text).toBe(message);
    expect(text).not.toContain('\n');
  });

  it('Swagger UI: on by default with client mes-swagger-ui; SWAGGER_UI, SWAGGER_UI_CLIENT_ID, MES_SWAGGER_EXCLUDE_FILE', () => {
    expect(loadAppConfig({})).toMatchObject({
      swaggerUi: true,
      swaggerClientId: 'mes-swagger-ui',
      swaggerExcludeFile: undefined,
    });
    expect(
      loadAppConfig({
        SWAGGER_UI: 'off',
        SWAGGER_UI_CLIENT_ID: ' mes-api-docs ',
        MES_SWAGGER_EXCLUDE_FILE: '/etc/mes/exclusions.txt',
      }),
    ).toMatchObject({
      swaggerUi: false,
      swaggerClientId: 'mes-api-docs',
      swaggerExcludeFile: '/etc/mes/exclusions.txt',
    });
    expect(loadAppConfig({ SWAGGER_UI: 'TRUE' }).swaggerUi).toBe(true);
  });

  it.each([
    [{ SWAGGER_UI: 'nope' }, 'Invalid SWAGGER_UI="nope": expected true or false.'],
    [
      { SWAGGER_UI_CLIENT_ID: 'mes swagger' },
      'Invalid SWAGGER_UI_CLIENT_ID="mes swagger": expected the id of the public AIM client Swagger UI logs in with (printable ASCII, no spaces, at most 200 characters).',
    ],
    [
      { SWAGGER_UI_CLIENT_ID: 'x'.repeat(201) },
      `Invalid SWAGGER_UI_CLIENT_ID="${'x'.repeat(40)}": expected the id of the public AIM client Swagger UI logs in with (printable ASCII, no spaces, at most 200 characters).`,
    ],
    [
      { SWAGGER_UI_CLIENT_ID: 'client\u00e9' },
      'Invalid SWAGGER_UI_CLIENT_ID="client\u00e9": expected the id of the public AIM client Swagger UI logs in with (printable ASCII, no spaces, at most 200 characters).',
    ],
  ])('rejects the Swagger setting %j with one clear line', (env, message) => {
    const text = errorOf(env);
    expect(text).toBe(message);
    expect(text).not.toContain('\n');
  });

  it('security mode: MES_SECURITY_MODE os-user (default) or os-group, AIM_GROUP_CLAIM (default role)', () => {
    expect(loadAppConfig({ MES_SECURITY_MODE: 'os-group' }).aim).toMatchObject({
      securityMode: 'os-group',
      groupClaim: 'role',
    });
    expect(
      loadAppConfig({ MES_SECURITY_MODE: ' OS-User ', AIM_GROUP_CLAIM: ' groups ' }).aim,
    ).toMatchObject({ securityMode: 'os-user', groupClaim: 'groups' });
  });

  it.each([
    [
      { MES_SECURITY_MODE: 'native' },
      'Invalid MES_SECURITY_MODE="native": MES Native security is not supported, the Web API needs a Windows security mode; set os-user or os-group.',
    ],
    [
      { MES_SECURITY_MODE: 'MES Native' },
      'Invalid MES_SECURITY_MODE="MES Native": MES Native security is not supported, the Web API needs a Windows security mode; set os-user or os-group.',
    ],
    [
      { MES_SECURITY_MODE: 'ad-group' },
      'Invalid MES_SECURITY_MODE="ad-group": expected one of os-user, os-group.',
    ],
    [
      { AIM_GROUP_CLAIM: 'group sids' },
      'Invalid AIM_GROUP_CLAIM="group sids": expected the name of the token claim with the user\'s group SIDs (printable ASCII, no spaces), e.g. role.',
    ],
  ])('rejects the security setting %j with one clear line', (env, message) => {
    const text = errorOf(env);
    expect(text).toBe(message);
    expect(text).not.toContain('\n');
  });

  it('never prints the value of REDIS_URL, which may hold a password', () => {
    const text = errorOf({ REDIS_URL: 'http://user:s3cret@cache:6379' });
    expect(text).toContain('REDIS_URL');
    expect(text).not.toContain('s3cret');
  });
});
