/** Builds an RFC 6750 `WWW-Authenticate: Bearer …` value from fixed, safe strings. */
export function bearerChallenge(
  realm: string,
  params: { error?: string; description?: string; scope?: string } = {},
): string {
  const parts = [`realm="${realm}"`];
  if (params.error) parts.push(`error="${params.error}"`);
  if (params.description) parts.push(`error_description="${safe(params.description)}"`);
  if (params.scope) parts.push(`scope="${safe(params.scope)}"`);
  return `Bearer ${parts.join(', ')}`;
}

/** RFC 6750 allows %x20-21 / %x23-5B / %x5D-7E in these values. */
function safe(value: string): string {
  return value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '');
}
