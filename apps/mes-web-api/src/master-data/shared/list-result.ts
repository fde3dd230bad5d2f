import type { FastifyReply } from 'fastify';

/** A GET list: the rows, or 204 with no body when there are none (SPEC section 3). */
export function listResult<T>(reply: FastifyReply, rows: T[]): T[] | undefined {
  if (rows.length > 0) return rows;
  void reply.status(204);
  return undefined;
}
