// The answer both reference servers send: a small JSON body made once at start, with its
// content type. The references differ only in the server under it (node:http or fastify).
export const REFERENCE_BODY = JSON.stringify({
  status: 'ok',
  checked_at: new Date().toISOString(),
});
export const REFERENCE_CONTENT_TYPE = 'application/json; charset=utf-8';
