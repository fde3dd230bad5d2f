import { MesWebApiUsageError } from '../errors/web-api-client.errors';
import { WebApiDefinition } from '../definitions/web-api-definition';

export type RouteParamValue = string | number | boolean | Date | null | undefined;
export type RouteParams = Readonly<Record<string, RouteParamValue>>;

const PLACEHOLDER = /\{([^{}]*)\}/g;

function formatValue(value: Exclude<RouteParamValue, null | undefined>): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/**
 * Substitutes `{placeholders}` in a route template with URL-encoded values, e.g.
 * `api/jobs?woId={woId}&operId={operId}` with `{ woId: 'WO 1', operId: 10 }` →
 * `api/jobs?woId=WO%201&operId=10`. A placeholder without a value is an error.
 */
export function expandRoute(
  template: string,
  params: RouteParams = {},
  definitionName?: string,
): string {
  const missing: string[] = [];
  const expanded = template.replace(PLACEHOLDER, (_match, rawName: string) => {
    const name = rawName.trim();
    if (!/^[A-Za-z_][\w.-]*$/.test(name)) {
      throw new MesWebApiUsageError(
        `Route "${template}" has an invalid placeholder "{${rawName}}" (use letters, digits, "_", "." or "-")`,
        definitionName,
      );
    }
    const value = Object.prototype.hasOwnProperty.call(params, name) ? params[name] : undefined;
    if (value === undefined || value === null) {
      missing.push(name);
      return '';
    }
    return encodeURIComponent(formatValue(value));
  });
  if (missing.length > 0) {
    throw new MesWebApiUsageError(
      `Route "${template}" needs a value for ${missing.map((n) => `{${n}}`).join(', ')}; pass it in params (e.g. params: { ${missing[0]}: … })`,
      definitionName,
    );
  }
  if (/[{}]/.test(expanded)) {
    throw new MesWebApiUsageError(
      `Route "${template}" has an unbalanced "{" or "}"`,
      definitionName,
    );
  }
  return expanded;
}

/** Appends extra query parameters (URL-encoded; null/undefined skipped). */
export function appendQuery(route: string, query: RouteParams | undefined): string {
  if (!query) return route;
  const pairs = Object.entries(query)
    .filter(
      (entry): entry is [string, Exclude<RouteParamValue, null | undefined>] => entry[1] != null,
    )
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(formatValue(value))}`);
  if (pairs.length === 0) return route;
  const separator = route.includes('?') ? (/[?&]$/.test(route) ? '' : '&') : '?';
  return `${route}${separator}${pairs.join('&')}`;
}

/**
 * The request URL for a route. The rule:
 * - a leading `/` on the route is ignored (routes are always relative);
 * - when the route already starts with the Request (URI) segment(s) (case-insensitive, as MES
 *   endpoint names are), it is relative to the Base Address: `api/v3/entity` with Request (URI)
 *   `api` → `<Base Address>api/v3/entity` (the form AVEVA lookups use);
 * - otherwise it is appended to Base Address + Request (URI): `v3/entity` →
 *   `<Base Address>api/v3/entity`;
 * - an absolute URL, or a route that escapes the Base Address (`..`), is refused so a token
 *   is never sent elsewhere.
 */
export function buildRequestUrl(definition: WebApiDefinition, route: string): URL {
  if (/^[a-z][a-z0-9+.-]*:/i.test(route) || route.startsWith('//')) {
    throw new MesWebApiUsageError(
      `Route "${route}" must be relative to the Base Address, not an absolute URL`,
      definition.name,
    );
  }
  const relative = route.replace(/^\/+/, '');
  const prefix = definition.requestUri;
  const pathPart = relative.split(/[?#]/, 1)[0].toLowerCase();
  const lowerPrefix = prefix.toLowerCase();
  const underPrefix =
    prefix === '' || pathPart === lowerPrefix || pathPart.startsWith(`${lowerPrefix}/`);
  let joined: string;
  if (underPrefix) {
    joined = relative;
  } else if (relative === '' || relative.startsWith('?')) {
    joined = `${prefix}${relative}`;
  } else {
    joined = `${prefix}/${relative}`;
  }
  const base = new URL(definition.baseAddress);
  const url = new URL(joined, base);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
    throw new MesWebApiUsageError(
      `Route "${route}" leads outside the Base Address ${definition.baseAddress}`,
      definition.name,
    );
  }
  return url;
}
