// The reference: a bare node:http server answering a small JSON body, the ceiling any framework
// on this machine is compared against. Prints "bare server ready: <origin>".
import { createServer } from 'node:http';
import { REFERENCE_BODY, REFERENCE_CONTENT_TYPE } from './reference-answer.mjs';

const length = Buffer.byteLength(REFERENCE_BODY);
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': REFERENCE_CONTENT_TYPE, 'content-length': length });
  res.end(REFERENCE_BODY);
});
server.listen(0, '127.0.0.1', () => {
  console.log(`bare server ready: http://127.0.0.1:${server.address().port}`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
