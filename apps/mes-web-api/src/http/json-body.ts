import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MesError, MesErrorCode } from '@mes-web-api/common';

/** Deepest nesting of arrays and objects a request body may have. MES models are 2-3 deep. */
export const MAX_JSON_DEPTH = 64;

/**
 * The nesting depth of a JSON text when it exceeds `limit`, else undefined: one pass over the
 * characters, brackets inside strings not counted. Runs before the text is parsed, so a body
 * nested thousands of levels deep is refused before any recursive code (prototype-poisoning
 * scan, validation) could exhaust the stack.
 */
export function jsonDepthOver(text: string, limit: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > limit) return depth;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return undefined;
}

/**
 * Replaces fastify's JSON body parser with the same parser (body limit, `__proto__` and
 * `constructor.prototype` refused) behind the depth check: a body nested deeper than
 * MAX_JSON_DEPTH is a 400 MALFORMED_BODY on every route, before validation.
 */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (
      request: FastifyRequest,
      body: string | Buffer,
      done: (err: Error | null, body?: unknown) => void,
    ) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (jsonDepthOver(text, MAX_JSON_DEPTH) !== undefined) {
        done(
          new MesError(
            MesErrorCode.MalformedBody,
            `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep.`,
          ),
        );
        return;
      }
      void parse(request, text, done);
    },
  );
}
