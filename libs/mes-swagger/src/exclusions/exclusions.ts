import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import builtInData from '../data/excluded-methods.json';
import {
  EXCLUDE_FILE_ENV,
  isMesMethodName,
  MES_METHOD_NAME_PATTERN,
} from '../mes-swagger.constants';

/** Why a method is left out: a newer web endpoint replaces it, it cannot be used from the web, or the deployment said so. */
export type ExclusionReason = 'replaced' | 'no-web-endpoint' | 'deployment';

export interface ExcludedMethod {
  method: string;
  reason: ExclusionReason;
  /** The endpoint to use instead (reason `replaced` only), e.g. `api/v3/Item`. */
  replacement?: string;
}

/** The effective exclusion list: the published lists plus a deployment's additions and re-inclusions. */
export interface MesExclusions {
  version: string;
  source: string;
  /** Excluded methods, sorted by name. Names match operationIds case-insensitively. */
  methods: readonly ExcludedMethod[];
  /** Names the deployment file took back off the lists, sorted. */
  reincluded: readonly string[];
  /** Absolute path of the deployment file that was merged, if any. */
  extraFile?: string;
  /** Harmless oddities in the deployment file (e.g. re-including a name that is not excluded). */
  warnings: readonly string[];
}

export interface LoadExclusionsOptions {
  /**
   * Deployment file extending the lists. `undefined` reads `MES_SWAGGER_EXCLUDE_FILE` from `env`;
   * `null` or `''` means no file.
   */
  extraFile?: string | null;
  env?: Readonly<Record<string, string | undefined>>;
}

/** A deployment file's content: names to add to the lists and names to take off them. */
export interface ExclusionFileContent {
  exclude: string[];
  include: string[];
}

/** A bad exclusion file; the message names the file and the problem. */
export class ExclusionFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`Swagger exclusion file ${JSON.stringify(file)}: ${problem}`);
    this.name = 'ExclusionFileError';
  }
}

const SHAPE = `shaped like FactMES.API.<Area>.<Object>.<Action> (${MES_METHOD_NAME_PATTERN.source})`;

/** The published lists only (no deployment file, no environment). */
export function builtInExclusions(): MesExclusions {
  const data: unknown = builtInData;
  const file = 'libs/mes-swagger/src/data/excluded-methods.json';
  if (!isRecord(data) || typeof data.version !== 'string' || typeof data.source !== 'string') {
    throw new ExclusionFileError(
      file,
      'expected { version, source, withReplacement, withoutReplacement }.',
    );
  }
  const methods: ExcludedMethod[] = [];
  if (!isRecord(data.withReplacement))
    throw new ExclusionFileError(file, '"withReplacement" must be an object.');
  for (const [method, replacement] of Object.entries(data.withReplacement)) {
    checkName(file, method, `withReplacement key`);
    if (typeof replacement !== 'string' || replacement === '') {
      throw new ExclusionFileError(
        file,
        `the replacement of ${method} must be a non-empty string.`,
      );
    }
    methods.push({ method, reason: 'replaced', replacement });
  }
  if (!Array.isArray(data.withoutReplacement)) {
    throw new ExclusionFileError(file, '"withoutReplacement" must be an array.');
  }
  data.withoutReplacement.forEach((method: unknown, i) => {
    checkName(file, method, `withoutReplacement[${i}]`);
    methods.push({ method, reason: 'no-web-endpoint' });
  });
  return {
    version: data.version,
    source: data.source,
    methods: sortByMethod(dedupe(methods)),
    reincluded: [],
    warnings: [],
  };
}

/**
 * The published lists merged with a deployment file (`extraFile`, else `MES_SWAGGER_EXCLUDE_FILE`).
 * Throws `ExclusionFileError` for a missing or unreadable file, bad syntax, non-string names or
 * names not shaped like `FactMES.API.X.Y.Z`.
 */
export function loadExclusions(options: LoadExclusionsOptions = {}): MesExclusions {
  const base = builtInExclusions();
  const env = options.env ?? process.env;
  const given =
    options.extraFile === undefined ? env[EXCLUDE_FILE_ENV]?.trim() : options.extraFile?.trim();
  if (!given) return base;

  const file = resolve(given);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'the file does not exist'
        : code === 'EISDIR'
          ? 'it is a directory'
          : `cannot be read (${code ?? 'error'})`;
    throw new ExclusionFileError(
      file,
      `${why}. Fix or unset ${EXCLUDE_FILE_ENV} / --exclude-file.`,
    );
  }
  const content = parseExclusionFile(file, text);
  return mergeExclusions(base, content, file);
}

/** Applies a deployment file's additions and re-inclusions to a list. Pure. */
export function mergeExclusions(
  base: MesExclusions,
  content: ExclusionFileContent,
  file?: string,
): MesExclusions {
  const byKey = new Map(base.methods.map((m) => [m.method.toLowerCase(), m]));
  const warnings: string[] = [];
  for (const method of content.exclude) {
    if (!byKey.has(method.toLowerCase()))
      byKey.set(method.toLowerCase(), { method, reason: 'deployment' });
  }
  const reincluded: string[] = [];
  for (const method of content.include) {
    const existing = byKey.get(method.toLowerCase());
    if (existing) {
      byKey.delete(method.toLowerCase());
      reincluded.push(existing.method);
    } else {
      warnings.push(`${method} is re-included but is not on the exclusion lists; nothing to do.`);
    }
  }
  return {
    version: base.version,
    source: base.source,
    methods: sortByMethod([...byKey.values()]),
    reincluded: [...new Set([...base.reincluded, ...reincluded])].sort(),
    ...(file ? { extraFile: file } : {}),
    warnings: [...base.warnings, ...warnings],
  };
}

/**
 * Parses a deployment file. JSON (a `.json` file, or content starting with `{` or `[`):
 * `{ "exclude": [names], "include": [names] }` or a plain array of names to exclude.
 * Text: one name per line, `#` starts a comment, and a leading `!` re-includes a name
 * (as in .gitignore: "not excluded").
 */
export function parseExclusionFile(file: string, text: string): ExclusionFileContent {
  const body = text.replace(/^\uFEFF/, '');
  const trimmed = body.trimStart();
  const content =
    extname(file).toLowerCase() === '.json' || trimmed.startsWith('{') || trimmed.startsWith('[')
      ? parseJson(file, body)
      : parseText(file, body);
  const excluded = new Set(content.exclude.map((n) => n.toLowerCase()));
  const both = content.include.find((n) => excluded.has(n.toLowerCase()));
  if (both) throw new ExclusionFileError(file, `${both} is both excluded and re-included.`);
  return content;
}

function parseJson(file: string, text: string): ExclusionFileContent {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ExclusionFileError(file, `not valid JSON (${(err as Error).message}).`);
  }
  if (Array.isArray(data)) return { exclude: names(file, data, '[]'), include: [] };
  if (!isRecord(data)) {
    throw new ExclusionFileError(
      file,
      'expected a JSON array of method names or { "exclude": [...], "include": [...] }.',
    );
  }
  const unknownKey = Object.keys(data).find(
    (k) => k !== 'exclude' && k !== 'include' && k !== '$comment',
  );
  if (unknownKey !== undefined) {
    throw new ExclusionFileError(
      file,
      `unknown key ${JSON.stringify(unknownKey)}; allowed: "exclude", "include", "$comment".`,
    );
  }
  const list = (key: 'exclude' | 'include'): string[] => {
    const value = data[key];
    if (value === undefined) return [];
    if (!Array.isArray(value))
      throw new ExclusionFileError(file, `"${key}" must be an array of method names.`);
    return names(file, value, key);
  };
  return { exclude: list('exclude'), include: list('include') };
}

function names(file: string, values: unknown[], where: string): string[] {
  return values.map((value, i) => {
    checkName(file, value, `${where}[${i}]`);
    return value;
  });
}

function parseText(file: string, text: string): ExclusionFileContent {
  const content: ExclusionFileContent = { exclude: [], include: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const where = `line ${i + 1}`;
    if (line.startsWith('+')) {
      throw new ExclusionFileError(
        file,
        `${where}: a leading "+" is not supported; list a name to exclude it, or prefix it with "!" to re-include it.`,
      );
    }
    if (line.startsWith('!')) {
      const name = line.slice(1).trim();
      checkName(file, name, where);
      content.include.push(name);
    } else {
      checkName(file, line, where);
      content.exclude.push(line);
    }
  });
  return content;
}

function checkName(file: string, value: unknown, where: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new ExclusionFileError(
      file,
      `${where}: expected a method name (a string), got ${value === null ? 'null' : typeof value}.`,
    );
  }
  if (!isMesMethodName(value)) {
    throw new ExclusionFileError(
      file,
      `${where}: ${JSON.stringify(value)} is not an MES method name; expected a name ${SHAPE}.`,
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dedupe(methods: ExcludedMethod[]): ExcludedMethod[] {
  const seen = new Map<string, ExcludedMethod>();
  for (const m of methods)
    if (!seen.has(m.method.toLowerCase())) seen.set(m.method.toLowerCase(), m);
  return [...seen.values()];
}

function sortByMethod(methods: ExcludedMethod[]): ExcludedMethod[] {
  return [...methods].sort((a, b) => compare(a.method, b.method));
}

/** Locale-independent ordering, so output is the same on every machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
