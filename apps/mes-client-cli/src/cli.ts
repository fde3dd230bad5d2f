import {
  MesWebApiAuthError,
  MesWebApiClient,
  MesWebApiClientLogger,
  MesWebApiClientOptions,
  MesWebApiError,
  MesWebApiMethod,
  MesWebApiNetworkError,
  MesWebApiUsageError,
  RouteParams,
  WebApiDefinitionError,
} from '@mes-web-api/web-api-client';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** Exit codes: by status class of the MES answer, or by what went wrong before. */
export const EXIT = Object.freeze({
  ok: 0,
  other: 1,
  usage: 2,
  auth: 3,
  clientError: 4,
  serverError: 5,
});

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** For tests: the fetch the client uses. */
  fetch?: typeof globalThis.fetch;
}

const METHODS: readonly MesWebApiMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];

export const USAGE = `Usage: npm run mes -- --definition <file> --name <item> <VERB> <route> [options]

Calls an MES Web API through a Web API definition and prints the JSON response.

  -d, --definition <file>   JSON or YAML definitions file (default: $MES_WEB_API_DEFINITIONS)
  -n, --name <item>         the definition's Name
  <VERB>                    GET, POST, PUT, PATCH, DELETE or HEAD
  <route>                   e.g. 'api/v3/entity' or 'api/jobs?woId={woId}'
      --data <json|@file>   request body: inline JSON, or @path/to/file.json
  -p, --param <k=v>         placeholder value, repeatable ({k} in the route)
  -q, --query <k=v>         extra query parameter, repeatable
  -H, --header <k: v>       extra header (e.g. 'trans_id: 12'), repeatable
      --user-token <token>  user access token (default: $MES_USER_TOKEN)
      --timeout <ms>        per-attempt timeout (default 30000)
      --retries <n>         retries of idempotent verbs on 5xx/network errors (default 2)
  -v, --verbose             log requests, retries and token renewals on stderr
  -h, --help                this text

Exit codes: 0 2xx, 4 4xx, 5 5xx, 2 usage or definition error, 3 token error, 1 other.`;

class UsageError extends Error {}

/** Runs the CLI; resolves to the process exit code. Never throws. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv, io.env);
  } catch (error) {
    io.stderr(`${messageOf(error)}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (parsed === 'help') {
    io.stdout(`${USAGE}\n`);
    return EXIT.ok;
  }
  const { method, route, name, request, clientOptions, verbose } = parsed;
  try {
    const client = new MesWebApiClient({
      ...clientOptions,
      env: io.env,
      fetch: io.fetch,
      logger: verbose ? stderrLogger(io) : false,
    });
    const response = await client.request(method, name, route, request);
    if (response.body !== undefined) io.stdout(`${format(response.body)}\n`);
    return EXIT.ok;
  } catch (error) {
    return report(error, io, verbose);
  }
}

function report(error: unknown, io: CliIo, verbose: boolean): number {
  if (error instanceof MesWebApiError) {
    io.stderr(`HTTP ${error.statusCode}: ${error.webApiErrorMessage}\n`);
    if (verbose && error.body !== undefined) io.stderr(`${format(error.body)}\n`);
    if (error.statusCode >= 500) return EXIT.serverError;
    if (error.statusCode >= 400) return EXIT.clientError;
    return EXIT.other;
  }
  const hint =
    error instanceof MesWebApiAuthError && error.details.authority === undefined
      ? ' (use --user-token <token> or set MES_USER_TOKEN)'
      : '';
  io.stderr(`${messageOf(error)}${hint}\n`);
  if (error instanceof WebApiDefinitionError || error instanceof MesWebApiUsageError) {
    return EXIT.usage;
  }
  if (error instanceof MesWebApiAuthError) return EXIT.auth;
  if (error instanceof MesWebApiNetworkError) return EXIT.other;
  return EXIT.other;
}

function parse(argv: readonly string[], env: CliIo['env']) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      definition: { type: 'string', short: 'd' },
      name: { type: 'string', short: 'n' },
      data: { type: 'string' },
      param: { type: 'string', short: 'p', multiple: true },
      query: { type: 'string', short: 'q', multiple: true },
      header: { type: 'string', short: 'H', multiple: true },
      'user-token': { type: 'string' },
      timeout: { type: 'string' },
      retries: { type: 'string' },
      verbose: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help' as const;
  const definitionsFile = values.definition ?? env.MES_WEB_API_DEFINITIONS;
  if (!definitionsFile)
    throw new UsageError('Missing --definition <file> (or MES_WEB_API_DEFINITIONS)');
  if (!values.name) throw new UsageError('Missing --name <item>');
  if (positionals.length !== 2) {
    throw new UsageError(`Expected <VERB> <route>, got ${positionals.length} argument(s)`);
  }
  const method = positionals[0].toUpperCase() as MesWebApiMethod;
  if (!METHODS.includes(method)) {
    throw new UsageError(`Unknown verb "${positionals[0]}" (use ${METHODS.join(', ')})`);
  }
  const clientOptions: MesWebApiClientOptions = {
    definitionsFile,
    timeoutMs: optionalNumber('--timeout', values.timeout),
    retries: optionalNumber('--retries', values.retries),
  };
  return {
    method,
    route: positionals[1],
    name: values.name,
    clientOptions,
    verbose: values.verbose === true,
    request: {
      params: pairs('--param', values.param, '='),
      query: pairs('--query', values.query, '='),
      headers: pairs('--header', values.header, ':'),
      body: values.data === undefined ? undefined : readData(values.data),
      userToken: values['user-token'] ?? env.MES_USER_TOKEN,
    },
  };
}

function stderrLogger(io: CliIo): MesWebApiClientLogger {
  return {
    log: (message) => io.stderr(`[mes] ${message}\n`),
    warn: (message) => io.stderr(`[mes] WARN ${message}\n`),
    debug: (message) => io.stderr(`[mes] ${message}\n`),
  };
}

function optionalNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new UsageError(`${flag} needs a non-negative integer, got "${value}"`);
  }
  return number;
}

function pairs(
  flag: string,
  values: string[] | undefined,
  separator: '=' | ':',
): Record<string, string> | undefined {
  if (!values?.length) return undefined;
  const result: Record<string, string> = {};
  for (const item of values) {
    const at = item.indexOf(separator);
    if (at <= 0) throw new UsageError(`${flag} needs key${separator}value, got "${item}"`);
    result[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return result satisfies RouteParams;
}

function readData(data: string): unknown {
  let text = data;
  if (data.startsWith('@')) {
    const file = data.slice(1);
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'read error';
      throw new UsageError(`--data file "${file}" cannot be read (${code})`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--data is not valid JSON: ${messageOf(error)}`);
  }
}

function format(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body, null, 2);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
