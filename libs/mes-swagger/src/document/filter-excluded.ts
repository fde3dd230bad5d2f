import { OpenAPIObject } from '@nestjs/swagger';
import { EXCLUDED_EXTENSION, MES_METHOD_EXTENSION } from '../mes-swagger.constants';
import { compare, ExcludedMethod, ExclusionReason, MesExclusions } from '../exclusions/exclusions';
import { forEachOperation, HTTP_METHODS } from './openapi-walk';
import { canonicalDocument } from './stable-stringify';

/** One operation taken out of the document. */
export interface RemovedOperation {
  method: string;
  verb: string;
  path: string;
  reason: ExclusionReason;
  replacement?: string;
}

/** One entry of the document's top-level `x-mes-excluded` list. */
export interface ExcludedExtensionEntry {
  method: string;
  reason: ExclusionReason;
  /** The newer endpoint to use instead; absent when there is none (`no-web-endpoint`) or unknown (`deployment`). */
  replacement?: string;
}

export interface FilterExcludedResult {
  document: OpenAPIObject;
  /** Removed operations, sorted by MES method then path. */
  removed: RemovedOperation[];
  /** Excluded names that matched no operation, sorted (worth a warning: a typo or a method this API lacks). */
  unmatched: string[];
}

/**
 * Pure: returns a new document without the operations whose operationId (the MES method name,
 * compared case-insensitively) is excluded. Then drops paths left with no operation, top-level
 * tags that only removed operations used, and components (schemas, responses, parameters, …)
 * that only removed operations referenced, directly or through other components. Tags and
 * components nothing used before are kept. Adds `x-mes-excluded` listing the removed methods
 * with their replacement endpoint, if any. Never mutates `document`.
 */
export function filterExcludedOperations(
  document: OpenAPIObject,
  exclusions: MesExclusions | readonly string[],
): FilterExcludedResult {
  const methods: readonly ExcludedMethod[] = isNameList(exclusions)
    ? exclusions.map((method) => ({ method, reason: 'deployment' as const }))
    : exclusions.methods;
  const lookup = new Map(methods.map((m) => [m.method.toLowerCase(), m]));
  const copy = structuredClone(document);

  const tagsBefore = usedTags(copy);
  const componentsBefore = reachableComponents(copy);

  const removed: RemovedOperation[] = [];
  const matched = new Set<string>();
  forEachOperation(copy, (path, verb, operation, item) => {
    const method = mesMethodOf(operation);
    const excluded = method ? lookup.get(method.toLowerCase()) : undefined;
    if (!excluded) return;
    matched.add(excluded.method.toLowerCase());
    delete item[verb];
    removed.push({
      method: method as string,
      verb: verb.toUpperCase(),
      path,
      reason: excluded.reason,
      ...(excluded.replacement ? { replacement: excluded.replacement } : {}),
    });
  });
  for (const [path, item] of Object.entries(copy.paths ?? {})) {
    if (!HTTP_METHODS.some((verb) => item[verb])) delete copy.paths[path];
  }

  if (copy.tags) {
    const tagsAfter = usedTags(copy);
    const kept = copy.tags.filter((t) => !tagsBefore.has(t.name) || tagsAfter.has(t.name));
    if (kept.length > 0 || copy.tags.length === 0) copy.tags = kept;
    else delete copy.tags;
  }

  const componentsAfter = reachableComponents(copy);
  const components = copy.components as
    Record<string, Record<string, unknown> | undefined> | undefined;
  for (const [kind, entries] of Object.entries(components ?? {})) {
    if (!entries || kind === 'securitySchemes') continue;
    const had = Object.keys(entries).length;
    for (const name of Object.keys(entries)) {
      const key = componentKey(kind, name);
      if (componentsBefore.has(key) && !componentsAfter.has(key)) delete entries[name];
    }
    if (had > 0 && Object.keys(entries).length === 0 && components) delete components[kind];
  }

  removed.sort(
    (a, b) => compare(a.method, b.method) || compare(a.path, b.path) || compare(a.verb, b.verb),
  );
  if (removed.length > 0) {
    const entries = new Map<string, ExcludedExtensionEntry>();
    for (const r of removed) {
      entries.set(r.method, {
        method: r.method,
        reason: r.reason,
        ...(r.replacement ? { replacement: r.replacement } : {}),
      });
    }
    (copy as unknown as Record<string, unknown>)[EXCLUDED_EXTENSION] = [...entries.values()];
  }

  const unmatched = methods
    .filter((m) => !matched.has(m.method.toLowerCase()))
    .map((m) => m.method)
    .sort(compare);
  return { document: canonicalDocument(copy), removed, unmatched };
}

/**
 * The MES method of an operation: `x-mes-method` (set on every form of a method other than its
 * own route, e.g. MiddlewareAccess), else its operationId (the MES method name).
 */
export function mesMethodOf(operation: { operationId?: string }): string | undefined {
  const extension = (operation as Record<string, unknown>)[MES_METHOD_EXTENSION];
  return typeof extension === 'string' ? extension : operation.operationId;
}

function isNameList(value: MesExclusions | readonly string[]): value is readonly string[] {
  return Array.isArray(value);
}

function usedTags(document: OpenAPIObject): Set<string> {
  const tags = new Set<string>();
  forEachOperation(document, (_p, _v, operation) => operation.tags?.forEach((t) => tags.add(t)));
  return tags;
}

function componentKey(kind: string, name: string): string {
  return `${kind}/${name}`;
}

/** `kind/name` of every component reachable by `$ref` from outside `components`, transitively. */
function reachableComponents(document: OpenAPIObject): Set<string> {
  const { components, ...roots } = document;
  const all = (components ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const seen = new Set<string>();
  const queue: unknown[] = [roots];
  while (queue.length > 0) {
    for (const ref of collectRefs(queue.pop())) {
      const match = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref);
      if (!match) continue;
      const [kind, name] = [unescapePointer(match[1]), unescapePointer(match[2])];
      const key = componentKey(kind, name);
      if (seen.has(key)) continue;
      seen.add(key);
      const target = all[kind]?.[name];
      if (target !== undefined) queue.push(target);
    }
  }
  return seen;
}

function collectRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value) collectRefs(v, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (key === '$ref' && typeof v === 'string') {
        out.push(v);
        continue;
      }
      if (key === 'mapping' && typeof v === 'object' && v !== null) {
        for (const target of Object.values(v as Record<string, unknown>))
          if (typeof target === 'string') out.push(target);
      }
      collectRefs(v, out);
    }
  }
  return out;
}

function unescapePointer(segment: string): string {
  return decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');
}
