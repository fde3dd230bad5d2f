import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { WebApiDefinitionError } from '../errors/web-api-client.errors';
import { WebApiDefinition, WebApiDefinitionParseOptions } from './web-api-definition';

export type DefinitionsFormat = 'json' | 'yaml';

/**
 * Parses the text of a definitions file: an array of items keyed by the console's labels or
 * camelCase names. Every item is validated; all problems are reported together.
 */
export function parseWebApiDefinitions(
  text: string,
  format: DefinitionsFormat,
  options: WebApiDefinitionParseOptions & { source?: string } = {},
): WebApiDefinition[] {
  const where = options.source
    ? `Web API definitions file "${options.source}"`
    : 'Web API definitions';
  let data: unknown;
  try {
    data = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new WebApiDefinitionError(`${where} is not valid ${format.toUpperCase()}: ${reason}`, [
      reason,
    ]);
  }
  if (!Array.isArray(data)) {
    throw new WebApiDefinitionError(`${where} must hold an array of definition items`, [
      'not an array',
    ]);
  }
  return validateAll(data, where, options);
}

/** Validates a list of raw items (label or camelCase keys); names must be unique. */
export function toWebApiDefinitions(
  items: readonly unknown[],
  options: WebApiDefinitionParseOptions = {},
): WebApiDefinition[] {
  return validateAll(items, 'Web API definitions', options);
}

/** Reads a `.json`, `.yaml` or `.yml` definitions file (other extensions: JSON, then YAML). */
export async function loadWebApiDefinitions(
  file: string,
  options: WebApiDefinitionParseOptions = {},
): Promise<WebApiDefinition[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw unreadable(file, error);
  }
  return parseFileText(file, text, options);
}

/** Synchronous `loadWebApiDefinitions`, for start-up code and constructors. */
export function loadWebApiDefinitionsSync(
  file: string,
  options: WebApiDefinitionParseOptions = {},
): WebApiDefinition[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw unreadable(file, error);
  }
  return parseFileText(file, text, options);
}

function unreadable(file: string, error: unknown): WebApiDefinitionError {
  const code = (error as NodeJS.ErrnoException).code ?? 'read error';
  return new WebApiDefinitionError(`Web API definitions file "${file}" cannot be read (${code})`, [
    code,
  ]);
}

function parseFileText(
  file: string,
  text: string,
  options: WebApiDefinitionParseOptions,
): WebApiDefinition[] {
  const extension = extname(file).toLowerCase();
  const format: DefinitionsFormat =
    extension === '.yaml' || extension === '.yml'
      ? 'yaml'
      : extension === '.json' || text.trimStart().startsWith('[')
        ? 'json'
        : 'yaml';
  return parseWebApiDefinitions(text, format, { ...options, source: file });
}

function validateAll(
  items: readonly unknown[],
  where: string,
  options: WebApiDefinitionParseOptions,
): WebApiDefinition[] {
  const definitions: WebApiDefinition[] = [];
  const problems: string[] = [];
  items.forEach((item, index) => {
    if (item instanceof WebApiDefinition) {
      definitions.push(item);
      return;
    }
    try {
      definitions.push(
        WebApiDefinition.fromRecord(item, { ...options, where: `item ${index + 1}` }),
      );
    } catch (error) {
      if (!(error instanceof WebApiDefinitionError)) throw error;
      problems.push(error.message.replace(/^Web API definition /, ''));
    }
  });
  const seen = new Map<string, string>();
  for (const definition of definitions) {
    const key = definition.name.toLowerCase();
    if (seen.has(key)) problems.push(`the Name "${definition.name}" is used more than once`);
    seen.set(key, definition.name);
  }
  if (problems.length > 0) {
    throw new WebApiDefinitionError(`${where} has errors: ${problems.join(' | ')}`, problems);
  }
  return definitions;
}
