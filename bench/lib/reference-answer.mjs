// The answer the reference servers send: a small JSON body made once at start, with its
// content type. The references differ only in the server under it (node:http, fastify, Nest).
export const REFERENCE_BODY = JSON.stringify({
  status: 'ok',
  checked_at: new Date().toISOString(),
});
export const REFERENCE_CONTENT_TYPE = 'application/json; charset=utf-8';

/** The API's fastify options that matter to a request, for the fastify and Nest references. */
export const REFERENCE_FASTIFY_OPTIONS = Object.freeze({
  logger: false,
  return503OnClosing: true,
  forceCloseConnections: 'idle',
  connectionTimeout: 60_000,
  requestTimeout: 120_000,
  routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 200 },
});
