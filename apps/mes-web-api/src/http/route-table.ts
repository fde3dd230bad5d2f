import FindMyWay, { HTTPMethod } from 'find-my-way';

const METHODS: readonly HTTPMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Every route the API serves, kept to answer a wrong verb on an existing path with
 * 405 and an `Allow` header (fastify itself only knows 404). Matching follows the
 * server's router options: case-insensitive, trailing slash ignored.
 */
export class RouteTable {
  private readonly router = FindMyWay({ caseSensitive: false, ignoreTrailingSlash: true });
  private readonly seen = new Set<string>();

  add(method: string, url: string): void {
    const m = method.toUpperCase() as HTTPMethod;
    if (!METHODS.includes(m)) return;
    const key = `${m} ${url.toLowerCase()}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.router.on(m, url, () => undefined);
  }

  /** The methods that would match this path, or an empty list for an unknown path. */
  allowedMethods(path: string): string[] {
    const allowed = METHODS.filter((m) => this.router.find(m, path) !== null);
    if (allowed.includes('GET')) allowed.push('HEAD');
    return allowed;
  }
}
