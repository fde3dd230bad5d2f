import { stringify as yamlStringify } from 'yaml';
import { compare } from '../exclusions/exclusions';

/** Conventional order of an OpenAPI document's top-level keys; any other key follows, sorted. */
const TOP_LEVEL_ORDER = [
  'openapi',
  'info',
  'servers',
  'security',
  'tags',
  'paths',
  'components',
  'webhooks',
];

/**
 * A copy with every object's keys sorted (recursively; arrays keep their order) and undefined
 * members dropped; at the top level the usual OpenAPI order comes first. Paths end up ordered
 * by path, so two generations of the same API are byte-identical and diffs stay reviewable.
 */
export function canonicalDocument<T>(document: T): T {
  return sortDeep(document, true) as T;
}

/** Deterministic, pretty JSON (2 spaces, trailing newline). */
export function stableStringify(value: unknown): string {
  return `${JSON.stringify(canonicalDocument(value), null, 2)}\n`;
}

/** Deterministic YAML of the same canonical form (no anchors, no line folding). */
export function toStableYaml(value: unknown): string {
  return yamlStringify(canonicalDocument(value), { aliasDuplicateObjects: false, lineWidth: 0 });
}

function sortDeep(value: unknown, topLevel = false): unknown {
  if (Array.isArray(value)) return value.map((v: unknown) => sortDeep(v === undefined ? null : v));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined,
  );
  const rank = (key: string): number => {
    const i = topLevel ? TOP_LEVEL_ORDER.indexOf(key) : -1;
    return i < 0 ? TOP_LEVEL_ORDER.length : i;
  };
  entries.sort(([a], [b]) => rank(a) - rank(b) || compare(a, b));
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) out[key] = sortDeep(v);
  return out;
}
