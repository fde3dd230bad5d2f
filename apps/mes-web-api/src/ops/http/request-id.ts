import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** At most this long; longer ids from a client are replaced. */
const MAX_LENGTH = 128;

/** Letters, digits and `-._~:@/+=`: enough for UUIDs, trace ids and most proxies' ids; never spaces, quotes or control characters. */
function isIdChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2d || // -
    c === 0x2e || // .
    c === 0x5f || // _
    c === 0x7e || // ~
    c === 0x3a || // :
    c === 0x40 || // @
    c === 0x2f || // /
    c === 0x2b || // +
    c === 0x3d // =
  );
}

/** Whether a client's `x-request-id` can be used as it is (logged, echoed, put in problem bodies). */
export function isValidRequestId(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return false;
  for (let i = 0; i < value.length; i++) if (!isIdChar(value.charCodeAt(i))) return false;
  return true;
}

/**
 * A new id: 16 random hex digits drawn once per process, then a counter (`9f1c0e5a7b3d2e10-2s`).
 * Unique across instances and restarts without a UUID per request (crypto's randomUUID was 0.8 %
 * of a health request); an id names a request, it is no secret.
 */
export function idGenerator(): () => string {
  const prefix = `${randomBytes(8).toString('hex')}-`;
  let counter = 0;
  return () => prefix + (++counter).toString(36);
}

const nextId = idGenerator();

/**
 * fastify's `genReqId`: the client's `x-request-id` when it is valid (a proxy's or a caller's
 * id, so one request can be followed across services), else a new id.
 */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return isValidRequestId(given) ? given : nextId();
}
