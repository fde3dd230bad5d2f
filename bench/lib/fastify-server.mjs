// A second reference: fastify alone (no Nest), with the API's adapter options, doing exactly the
// bare server's work: the same constant body and content type on every request. The gap between
// it and bare is fastify's; the gap between it and the API is Nest's and ours.
// Prints "fastify server ready: <origin>".
import Fastify from 'fastify';
import {
  REFERENCE_BODY,
  REFERENCE_CONTENT_TYPE,
  REFERENCE_FASTIFY_OPTIONS,
} from './reference-answer.mjs';

const fastify = Fastify({ ...REFERENCE_FASTIFY_OPTIONS });
fastify.get('/', (_request, reply) => {
  reply.header('content-type', REFERENCE_CONTENT_TYPE).send(REFERENCE_BODY);
});
const address = await fastify.listen({ port: 0, host: '127.0.0.1' });
console.log(`fastify server ready: ${address}`);
process.once('SIGTERM', () => {
  void fastify.close().then(() => process.exit(0));
});
