/**
 * The query string (without `?`) as fastify's parser reads it, for plain spellings of the names
 * a lane reads: `name=value` pairs joined by `&`, each name one of `names` and given once, values
 * percent-decoded with `+` as a space. `undefined` for anything else (another name, an empty
 * pair, a name without `=`, a repeated name, a bad `%` sequence), so a front-door lane leaves
 * such requests to fastify, whose parser and Nest's pipes decide them.
 */
export function parsePlainQuery(
  query: string,
  names: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  let start = 0;
  while (start < query.length) {
    let end = query.indexOf('&', start);
    if (end < 0) end = query.length;
    const eq = query.indexOf('=', start);
    if (eq <= start || eq >= end) return undefined;
    const name = query.slice(start, eq);
    if (!names.includes(name) || params[name] !== undefined) return undefined;
    const value = decodeValue(query.slice(eq + 1, end));
    if (value === undefined) return undefined;
    params[name] = value;
    start = end + 1;
  }
  // A trailing `&` is an empty pair.
  return query.length > 0 && query.endsWith('&') ? undefined : params;
}

function decodeValue(raw: string): string | undefined {
  if (!raw.includes('%') && !raw.includes('+')) return raw;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
