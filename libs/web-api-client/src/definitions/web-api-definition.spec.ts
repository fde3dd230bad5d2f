import { inspect } from 'node:util';
import { WebApiDefinitionError } from '../errors/web-api-client.errors';
import { WebApiAuthenticationMode, WebApiDefinition } from './web-api-definition';

const SECRET = 'very-secret-value-123';

const service = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  Name: 'MES service',
  Description: 'Scheduler calls',
  Source: 'Generic',
  'Base Address': 'https://mes.example.com/mesmw/',
  'Request (URI)': 'api',
  'Authentication Mode': 'Service to Service Access Token',
  Authority: 'https://sms.example.com/identitymanager',
  Audience: 'system',
  'Client ID': 'mes-scheduler',
  'Client Secret': SECRET,
  Scope: 'system',
  ...overrides,
});

const user = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  Name: 'MES user',
  'Base Address': 'https://mes.example.com/mesmw/',
  'Request (URI)': 'api',
  'Authentication Mode': 'User Access Token',
  ...overrides,
});

function problemsOf(record: unknown, env: Record<string, string> = {}): string[] {
  try {
    WebApiDefinition.fromRecord(record, { env });
  } catch (error) {
    expect(error).toBeInstanceOf(WebApiDefinitionError);
    const definitionError = error as WebApiDefinitionError;
    expect(definitionError.message).not.toContain(SECRET);
    return [...definitionError.problems];
  }
  throw new Error('expected a WebApiDefinitionError');
}

describe('WebApiDefinition', () => {
  it('accepts a service-to-service item keyed by the console labels', () => {
    const definition = WebApiDefinition.fromRecord(service(), { env: {} });
    expect(definition).toMatchObject({
      name: 'MES service',
      description: 'Scheduler calls',
      source: 'Generic',
      baseAddress: 'https://mes.example.com/mesmw/',
      requestUri: 'api',
      authenticationMode: WebApiAuthenticationMode.ServiceToServiceAccessToken,
      authority: 'https://sms.example.com/identitymanager',
      audience: 'system',
      clientId: 'mes-scheduler',
      scope: 'system',
    });
    expect(definition.isServiceToService).toBe(true);
    expect(definition.issuer).toBe('https://sms.example.com/identitymanager');
    expect(definition.authorityIsTokenEndpoint).toBe(false);
  });

  it('accepts camelCase keys, defaults Source, Request (URI) and Scope', () => {
    const definition = WebApiDefinition.create(
      {
        name: 'camel',
        baseAddress: 'http://127.0.0.1:3000/mesmw/',
        authenticationMode: 'Service to Service Access Token',
        authority: 'http://127.0.0.1:5000/identitymanager/connect/token',
        clientId: 'c',
        clientSecret: 's',
      },
      { env: {} },
    );
    expect(definition.requestUri).toBe('api');
    expect(definition.scope).toBe('system');
    expect(definition.source).toBe('Generic');
    expect(definition.authorityIsTokenEndpoint).toBe(true);
    expect(definition.issuer).toBe('http://127.0.0.1:5000/identitymanager');
  });

  it('accepts a user-token item without authority or client', () => {
    const definition = WebApiDefinition.fromRecord(user(), { env: {} });
    expect(definition.isServiceToService).toBe(false);
    expect(definition.toJSON()['Client Secret']).toBeUndefined();
  });

  it('says the trailing slash is missing from the Base Address', () => {
    expect(problemsOf(service({ 'Base Address': 'https://mes.example.com/mesmw' }))).toEqual([
      'Base Address "https://mes.example.com/mesmw" must end with "/" (the trailing slash is required: write "https://mes.example.com/mesmw/")',
    ]);
  });

  it.each([
    ['mes.example.com/mesmw/', 'is not an absolute URL'],
    ['ftp://mes.example.com/mesmw/', 'must be an http or https URL'],
    ['https://mes.example.com/mesmw/?x=1', 'must not contain a query or fragment'],
    ['https://bob:pw@mes.example.com/mesmw/', 'must not contain a user name or password'],
  ])('rejects the Base Address %s', (value, message) => {
    const problems = problemsOf(service({ 'Base Address': value }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
    expect(problems[0]).not.toContain('pw@');
  });

  it('requires a Base Address', () => {
    expect(problemsOf(service({ 'Base Address': undefined }))[0]).toMatch(
      /^Base Address is required/,
    );
  });

  it.each([
    ['https://mes.example.com/mesmw/api', 'not an absolute URL'],
    ['/api', 'no leading "/"'],
    ['api?x=1', 'plain path'],
    ['../api', '".." segments'],
  ])('requires a relative Request (URI): %s', (value, message) => {
    const problems = problemsOf(service({ 'Request (URI)': value }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('Request (URI)');
    expect(problems[0]).toContain(message);
  });

  it('normalizes Request (URI) trailing slashes and allows an empty one', () => {
    expect(WebApiDefinition.fromRecord(user({ 'Request (URI)': 'api/' })).requestUri).toBe('api');
    expect(WebApiDefinition.fromRecord(user({ 'Request (URI)': '' })).requestUri).toBe('');
  });

  it('requires Authority, Client ID and Client Secret for service to service', () => {
    const problems = problemsOf(
      service({ Authority: undefined, 'Client ID': undefined, 'Client Secret': undefined }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^Authority is required for "Service to Service Access Token"/),
      'Client ID is required for "Service to Service Access Token"',
      expect.stringMatching(/^Client Secret is required for "Service to Service Access Token"/),
    ]);
  });

  it('requires https for a non-loopback Authority', () => {
    expect(problemsOf(service({ Authority: 'http://sms.example.com/identitymanager' }))).toEqual([
      expect.stringContaining('must use https'),
    ]);
  });

  it('refuses a Client Secret on a user-token definition, without echoing it', () => {
    const problems = problemsOf(user({ 'Client Secret': SECRET }));
    expect(problems).toEqual([
      'a "User Access Token" definition must not carry a Client Secret (remove it: the user\'s own token is forwarded)',
    ]);
  });

  it('validates Name, Source, Authentication Mode and unknown keys, reporting all at once', () => {
    const problems = problemsOf({
      Source: 'Custom',
      'Base Address': 'https://mes.example.com/mesmw/',
      'Authentication Mode': 'Windows',
      'Base Adress': 'typo',
    });
    expect(problems).toEqual([
      expect.stringContaining('unknown field "Base Adress"'),
      'Name is required',
      'Source must be "Generic" (got "Custom")',
      'Authentication Mode must be "User Access Token" or "Service to Service Access Token" (got "Windows")',
    ]);
  });

  it('reports a field given twice (label and camelCase)', () => {
    expect(problemsOf(user({ baseAddress: 'https://x/mesmw/' }))[0]).toContain(
      'Base Address is given twice',
    );
  });

  it('rejects non-string values and non-objects', () => {
    expect(problemsOf(user({ Name: 42 }))).toContain('Name must be a string');
    expect(() => WebApiDefinition.fromRecord(['x'])).toThrow(WebApiDefinitionError);
  });

  it('resolves env: references and reports a missing variable by name', () => {
    const definition = WebApiDefinition.fromRecord(
      service({ 'Client Secret': 'env:MES_CLIENT_SECRET', 'Client ID': 'env:MES_CLIENT_ID' }),
      { env: { MES_CLIENT_SECRET: SECRET, MES_CLIENT_ID: 'from-env' } },
    );
    expect(definition.clientId).toBe('from-env');
    expect(JSON.stringify(definition)).not.toContain(SECRET);

    expect(problemsOf(service({ 'Client Secret': 'env:MES_MISSING' }))).toEqual([
      'Client Secret refers to environment variable MES_MISSING, which is not set (or empty)',
    ]);
    expect(problemsOf(service({ 'Client Secret': 'env:1bad' }))[0]).toContain(
      'invalid environment reference',
    );
  });

  it('keeps the secret out of toString, JSON, inspect and the enumerable properties', () => {
    const definition = WebApiDefinition.fromRecord(service(), { env: {} });
    expect(String(definition)).not.toContain(SECRET);
    expect(JSON.stringify(definition)).not.toContain(SECRET);
    expect(JSON.stringify(definition)).toContain('"Client Secret":"***"');
    expect(inspect(definition, { depth: 10, showHidden: true })).not.toContain(SECRET);
    expect(JSON.stringify({ ...definition })).not.toContain(SECRET);
    expect(Object.values(definition)).not.toContain(SECRET);
    expect(Object.isFrozen(definition)).toBe(true);
  });

  it('puts the definition name and every problem in the error message', () => {
    expect(() =>
      WebApiDefinition.fromRecord(service({ 'Base Address': 'https://h/mesmw', 'Client ID': '' })),
    ).toThrow(
      /^Web API definition "MES service" is invalid: Base Address .* must end with "\/".*; Client ID is required/,
    );
  });
});
