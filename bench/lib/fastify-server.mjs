// A second reference: fastify alone (no Nest), same adapter options as the API, answering the
// API's health body from memory. Shows how much of the gap to bare node:http is fastify + the
// larger body, and how much is Nest and the app. Prints "fastify server ready: <origin>".
import Fastify from 'fastify';

const fastify = Fastify({
  logger: false,
  return503OnClosing: true,
  forceCloseConnections: 'idle',
  connectionTimeout: 60_000,
  requestTimeout: 120_000,
  routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 200 },
});
const body = JSON.parse(process.argv[2] ?? '{"status":"ok"}');
fastify.get('/mesmw/health', async (_request, reply) => {
  reply.header('cache-control', 'no-store');
  return { ...body, checked_at: new Date().toISOString() };
});
const address = await fastify.listen({ port: 0, host: '127.0.0.1' });
console.log(`fastify server ready: ${address}`);
process.once('SIGTERM', () => {
  void fastify.close().then(() => process.exit(0));
});
