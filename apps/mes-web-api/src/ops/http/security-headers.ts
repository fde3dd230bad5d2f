import helmet, { HelmetOptions } from 'helmet';

/** Header name (lower case) and value, set as they are on every answer. */
export type HeaderList = ReadonlyArray<readonly [string, string]>;

/**
 * The headers helmet sets for `options`, computed once. helmet is a connect middleware: it is run
 * here against a recording response. @fastify/helmet runs `helmet(options)` again for every
 * request (it builds the whole policy each time: about 5 µs here, 60 % of fastify's own
 * throughput on a small answer), so the app takes helmet's headers once and sets the list in its
 * own request hook (`installOpsHooks`).
 */
export function helmetHeaders(options: HelmetOptions): HeaderList {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  };
  helmet(options)(
    {} as Parameters<ReturnType<typeof helmet>>[0],
    recorder as unknown as Parameters<ReturnType<typeof helmet>>[1],
    (error?: unknown) => {
      if (error instanceof Error) throw error;
    },
  );
  return [...headers.entries()];
}

/** HSTS only where this process terminates TLS itself; behind a proxy the proxy sends it. */
const hsts = (tls: boolean): HelmetOptions['strictTransportSecurity'] =>
  tls ? { maxAge: 31_536_000, includeSubDomains: false } : false;

/**
 * API answers (JSON): the OWASP REST set, nothing in them may be run, framed or sniffed:
 * `default-src 'none'; frame-ancestors 'none'`, nosniff, DENY (HSTS with TLS). Every header costs
 * Node's validation and a line of the answer: these three cost about 9 % of a health request in
 * instructions, so helmet's headers for documents (referrer, cross-origin and legacy ones) are
 * left to the Swagger UI pages, which are documents.
 */
export function apiSecurityHeaders(tls: boolean): HeaderList {
  return helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] },
    },
    strictTransportSecurity: hsts(tls),
    xFrameOptions: { action: 'deny' },
    referrerPolicy: false,
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
}

/**
 * Swagger UI's pages and assets: helmet's defaults with a policy Swagger UI works under (proved
 * by the browser test): its scripts and styles come from this origin (the inline `<style>` of
 * the page needs 'unsafe-inline' for styles only), icons are data: URIs, and the login exchanges
 * the code for a token at the authority, so the authorities' origins are allowed for fetch.
 */
export function swaggerSecurityHeaders(tls: boolean, authorities: readonly string[]): HeaderList {
  const origins = [...new Set(authorities.map((issuer) => new URL(issuer).origin))];
  return helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'", ...origins],
        'form-action': ["'self'"],
        'frame-ancestors': ["'self'"],
        'object-src': ["'none'"],
      },
    },
    // No Cross-Origin-Opener-Policy: the login popup goes to the authority (another origin) and
    // comes back to oauth2-redirect.html, which hands the code to the page through
    // `window.opener`; any COOP on these pages severs that link (the browser test proves it).
    crossOriginOpenerPolicy: false,
    strictTransportSecurity: hsts(tls),
  });
}
