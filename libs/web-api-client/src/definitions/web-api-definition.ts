import { inspect } from 'node:util';
import { WebApiDefinitionError } from '../errors/web-api-client.errors';

/** The console's "Authentication Mode" values. */
export enum WebApiAuthenticationMode {
  UserAccessToken = 'User Access Token',
  ServiceToServiceAccessToken = 'Service to Service Access Token',
}

/** A definition as written by hand or in a file (camelCase field names). */
export interface WebApiDefinitionInput {
  name: string;
  description?: string | null;
  /** Only `Generic` exists; defaults to it. */
  source?: string | null;
  /** Absolute http(s) URL ending with `/`, e.g. `https://hostname/mesmw/`. */
  baseAddress: string;
  /** Relative path under the Base Address; defaults to `api`; `''` for none. */
  requestUri?: string | null;
  authenticationMode: WebApiAuthenticationMode | string;
  /** Service to service: the AIM issuer URL, or its token endpoint (`…/connect/token`). */
  authority?: string | null;
  audience?: string | null;
  clientId?: string | null;
  /** Plain, or `env:VARIABLE` to read it from the environment. */
  clientSecret?: string | null;
  /** Defaults to `system`. */
  scope?: string | null;
}

export interface WebApiDefinitionParseOptions {
  /** Where `env:VAR` references are resolved; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

type Field = keyof WebApiDefinitionInput;

/** The console's field labels, in display order. */
export const WEB_API_DEFINITION_LABELS: Readonly<Record<Field, string>> = Object.freeze({
  name: 'Name',
  description: 'Description',
  source: 'Source',
  baseAddress: 'Base Address',
  requestUri: 'Request (URI)',
  authenticationMode: 'Authentication Mode',
  authority: 'Authority',
  audience: 'Audience',
  clientId: 'Client ID',
  clientSecret: 'Client Secret',
  scope: 'Scope',
});

const normalizeKey = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Label ("Request (URI)") and camelCase ("requestUri") keys both normalize to one form. */
const FIELD_BY_KEY: ReadonlyMap<string, Field> = new Map<string, Field>([
  ...(Object.entries(WEB_API_DEFINITION_LABELS) as [Field, string][]).flatMap(([field, label]) => [
    [normalizeKey(field), field] as [string, Field],
    [normalizeKey(label), field] as [string, Field],
  ]),
  ['authmode', 'authenticationMode'],
]);

/** Fields where `env:VAR` is resolved. */
const ENV_FIELDS: ReadonlySet<Field> = new Set<Field>([
  'description',
  'baseAddress',
  'requestUri',
  'authority',
  'audience',
  'clientId',
  'clientSecret',
  'scope',
]);

const DEFAULT_REQUEST_URI = 'api';
const DEFAULT_SCOPE = 'system';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const TOKEN_ENDPOINT_SUFFIX = /\/connect\/token\/?$/i;

/** Secrets live outside the instance, so no serializer or inspector can ever reach them. */
const CLIENT_SECRETS = new WeakMap<WebApiDefinition, string>();

/** Library-internal: the client secret of a service-to-service definition. Not exported by index. */
export function clientSecretOf(definition: WebApiDefinition): string | undefined {
  return CLIENT_SECRETS.get(definition);
}

/**
 * One "Web API list item": how to call one MES Web API. Immutable and validated. The client
 * secret is never part of `toJSON()`, `toString()` or `util.inspect()`.
 */
export class WebApiDefinition {
  readonly name: string;
  readonly description?: string;
  readonly source = 'Generic' as const;
  readonly baseAddress: string;
  /** Without leading or trailing `/`; `''` when there is none. */
  readonly requestUri: string;
  readonly authenticationMode: WebApiAuthenticationMode;
  readonly authority?: string;
  readonly audience?: string;
  readonly clientId?: string;
  readonly scope: string;

  private constructor(fields: DefinitionFields, secret?: string) {
    this.name = fields.name;
    this.description = fields.description;
    this.baseAddress = fields.baseAddress;
    this.requestUri = fields.requestUri;
    this.authenticationMode = fields.authenticationMode;
    this.authority = fields.authority;
    this.audience = fields.audience;
    this.clientId = fields.clientId;
    this.scope = fields.scope;
    if (secret !== undefined) CLIENT_SECRETS.set(this, secret);
    Object.freeze(this);
  }

  /** Validates typed input; throws `WebApiDefinitionError` listing every problem. */
  static create(
    input: WebApiDefinitionInput,
    options: WebApiDefinitionParseOptions = {},
  ): WebApiDefinition {
    return WebApiDefinition.fromRecord(input, options);
  }

  /**
   * Validates a record keyed by the console's labels (`Base Address`, `Request (URI)`,
   * `Client ID` …) or by camelCase names (`baseAddress`, `requestUri`, `clientId` …).
   */
  static fromRecord(
    record: unknown,
    options: WebApiDefinitionParseOptions & { where?: string } = {},
  ): WebApiDefinition {
    const env = options.env ?? process.env;
    const problems: string[] = [];
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      const where = options.where ? `${options.where} ` : '';
      throw new WebApiDefinitionError(
        `Web API definition ${where}is invalid: expected an object with the fields ${Object.values(WEB_API_DEFINITION_LABELS).join(', ')}`,
        ['not an object'],
      );
    }

    const raw = new Map<Field, unknown>();
    for (const [key, value] of Object.entries(record)) {
      const field = FIELD_BY_KEY.get(normalizeKey(key));
      if (!field) {
        problems.push(
          `unknown field "${key}" (expected one of: ${Object.values(WEB_API_DEFINITION_LABELS).join(', ')})`,
        );
      } else if (raw.has(field)) {
        problems.push(`field ${WEB_API_DEFINITION_LABELS[field]} is given twice (as "${key}" too)`);
      } else {
        raw.set(field, value);
      }
    }

    /** Fields whose value was already reported as wrong (no second "is required"). */
    const reported = new Set<Field>();
    const text = (field: Field): string | undefined => {
      const value = raw.get(field);
      const label = WEB_API_DEFINITION_LABELS[field];
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'string') {
        problems.push(`${label} must be a string`);
        reported.add(field);
        return undefined;
      }
      const trimmed = value.trim();
      const ref = /^env:(.*)$/i.exec(trimmed);
      if (ref && ENV_FIELDS.has(field)) {
        const variable = ref[1].trim();
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
          problems.push(`${label} has an invalid environment reference "env:${variable}"`);
          reported.add(field);
          return undefined;
        }
        const resolved = env[variable];
        if (resolved === undefined || resolved === '') {
          problems.push(
            `${label} refers to environment variable ${variable}, which is not set (or empty)`,
          );
          reported.add(field);
          return undefined;
        }
        return resolved.trim();
      }
      return trimmed;
    };

    const name = text('name');
    if (!name && !reported.has('name')) problems.push('Name is required');
    const description = text('description') || undefined;

    const source = text('source');
    if (source && source.toLowerCase() !== 'generic') {
      problems.push(`Source must be "Generic" (got "${source}")`);
    }

    const baseAddress = text('baseAddress');
    if (!baseAddress) {
      if (!reported.has('baseAddress'))
        problems.push('Base Address is required (e.g. "https://hostname/mesmw/")');
    } else {
      checkBaseAddress(baseAddress, problems);
    }

    const requestUriRaw = raw.has('requestUri') ? text('requestUri') : undefined;
    const requestUri = requestUriRaw === undefined ? DEFAULT_REQUEST_URI : requestUriRaw;
    checkRequestUri(requestUri, problems);

    const modeText = text('authenticationMode');
    const authenticationMode = reported.has('authenticationMode')
      ? undefined
      : parseMode(modeText, problems);

    const authority = text('authority') || undefined;
    const audience = text('audience') || undefined;
    const clientId = text('clientId') || undefined;
    const clientSecret = text('clientSecret') || undefined;
    const scope = text('scope') || DEFAULT_SCOPE;

    const s2s = WebApiAuthenticationMode.ServiceToServiceAccessToken;
    if (authenticationMode === s2s) {
      if (!authority) {
        if (!reported.has('authority'))
          problems.push(
            `Authority is required for "${s2s}" (the AIM issuer, e.g. "https://sms/identitymanager", or its token endpoint "https://sms/identitymanager/connect/token")`,
          );
      } else {
        checkAuthority(authority, problems);
      }
      if (!clientId && !reported.has('clientId'))
        problems.push(`Client ID is required for "${s2s}"`);
      if (!clientSecret && !reported.has('clientSecret')) {
        problems.push(
          `Client Secret is required for "${s2s}" (write "env:VARIABLE" to read it from the environment)`,
        );
      }
    } else if (authenticationMode === WebApiAuthenticationMode.UserAccessToken && clientSecret) {
      problems.push(
        `a "${WebApiAuthenticationMode.UserAccessToken}" definition must not carry a Client Secret (remove it: the user's own token is forwarded)`,
      );
    }

    if (problems.length > 0 || !name || !baseAddress || !authenticationMode) {
      const who = options.where
        ? `${options.where}${name ? ` ("${name}")` : ''}`
        : `"${name ?? '(unnamed)'}"`;
      throw new WebApiDefinitionError(
        `Web API definition ${who} is invalid: ${problems.join('; ')}`,
        problems,
        name,
      );
    }

    return new WebApiDefinition(
      {
        name,
        description,
        baseAddress,
        requestUri: requestUri.replace(/\/+$/, ''),
        authenticationMode,
        authority: authority?.replace(/\/+$/, ''),
        audience,
        clientId,
        scope,
      },
      authenticationMode === s2s ? clientSecret : undefined,
    );
  }

  get isServiceToService(): boolean {
    return this.authenticationMode === WebApiAuthenticationMode.ServiceToServiceAccessToken;
  }

  /** True when the Authority was given as the token endpoint (`…/connect/token`). */
  get authorityIsTokenEndpoint(): boolean {
    return this.authority !== undefined && TOKEN_ENDPOINT_SUFFIX.test(this.authority);
  }

  /** The issuer URL derived from the Authority (without `/connect/token`). */
  get issuer(): string | undefined {
    return this.authority?.replace(TOKEN_ENDPOINT_SUFFIX, '').replace(/\/+$/, '');
  }

  /** Label-keyed, secret-free view (the client secret shows as `***` when set). */
  toJSON(): Record<string, string | undefined> {
    return {
      Name: this.name,
      Description: this.description,
      Source: this.source,
      'Base Address': this.baseAddress,
      'Request (URI)': this.requestUri,
      'Authentication Mode': this.authenticationMode,
      Authority: this.authority,
      Audience: this.audience,
      'Client ID': this.clientId,
      'Client Secret': CLIENT_SECRETS.has(this) ? '***' : undefined,
      Scope: this.isServiceToService ? this.scope : undefined,
    };
  }

  toString(): string {
    return `WebApiDefinition(${this.name}: ${this.authenticationMode} → ${this.baseAddress}${this.requestUri})`;
  }

  [inspect.custom](): string {
    return `WebApiDefinition ${inspect(this.toJSON())}`;
  }
}

interface DefinitionFields {
  name: string;
  description?: string;
  baseAddress: string;
  requestUri: string;
  authenticationMode: WebApiAuthenticationMode;
  authority?: string;
  audience?: string;
  clientId?: string;
  scope: string;
}

function parseMode(
  value: string | undefined,
  problems: string[],
): WebApiAuthenticationMode | undefined {
  const expected = `"${WebApiAuthenticationMode.UserAccessToken}" or "${WebApiAuthenticationMode.ServiceToServiceAccessToken}"`;
  if (!value) {
    problems.push(`Authentication Mode is required: ${expected}`);
    return undefined;
  }
  const key = normalizeKey(value);
  if (key === 'useraccesstoken' || key === 'user') return WebApiAuthenticationMode.UserAccessToken;
  if (['servicetoserviceaccesstoken', 'servicetoservice', 'service'].includes(key)) {
    return WebApiAuthenticationMode.ServiceToServiceAccessToken;
  }
  problems.push(`Authentication Mode must be ${expected} (got "${value}")`);
  return undefined;
}

/** Parses an absolute http(s) URL; reports problems without ever echoing credentials. */
function parseHttpUrl(label: string, value: string, problems: string[]): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${label} "${value}" is not an absolute URL`);
    return undefined;
  }
  if (url.username || url.password) {
    problems.push(`${label} must not contain a user name or password`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`${label} "${value}" must be an http or https URL`);
    return undefined;
  }
  if (url.search || url.hash || value.includes('?') || value.includes('#')) {
    problems.push(`${label} "${value}" must not contain a query or fragment`);
    return undefined;
  }
  return url;
}

function checkBaseAddress(value: string, problems: string[]): void {
  const label = 'Base Address';
  const url = parseHttpUrl(label, value, problems);
  if (!url) return;
  if (!value.endsWith('/')) {
    problems.push(
      `Base Address "${value}" must end with "/" (the trailing slash is required: write "${value}/")`,
    );
  }
}

function checkRequestUri(value: string, problems: string[]): void {
  const label = 'Request (URI)';
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//')) {
    problems.push(
      `${label} "${value}" must be relative to the Base Address (e.g. "api"), not an absolute URL`,
    );
  } else if (value.startsWith('/')) {
    problems.push(`${label} "${value}" must be relative (no leading "/"), e.g. "api"`);
  } else if (/[?#\\]/.test(value)) {
    problems.push(`${label} "${value}" must be a plain path (no "?", "#" or "\\"), e.g. "api"`);
  } else if (value.split('/').some((segment) => segment === '..' || segment === '.')) {
    problems.push(`${label} "${value}" must not contain "." or ".." segments`);
  }
}

function checkAuthority(value: string, problems: string[]): void {
  const url = parseHttpUrl('Authority', value, problems);
  if (!url) return;
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    problems.push(
      `Authority "${value}" must use https (plain http is allowed only for 127.0.0.1, ::1 or localhost)`,
    );
  }
}
