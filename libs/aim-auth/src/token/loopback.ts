/** True for host names that can only mean this machine (plain http is tolerated only there). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** An http(s) URL that is https, or http on a loopback host. */
export function isAcceptableAuthorityUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/**
 * An issuer in the form used to match it: without trailing slashes. AIM nodes are configured
 * with or without one, and a token's `iss` or a discovery document may differ from the
 * configured value only by it; any other difference is a different issuer.
 */
export function issuerKey(issuer: string): string {
  return issuer.replace(/\/+$/, '');
}
