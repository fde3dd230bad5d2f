// The reference: a bare node:http server answering a small JSON body, the ceiling any framework
// on this machine is compared against. Prints "bare server ready: <origin>".
import { createServer } from 'node:http';

const body = JSON.stringify({ status: 'ok', checked_at: new Date().toISOString() });
const server = createServer((req, res) => {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  console.log(`bare server ready: http://127.0.0.1:${server.address().port}`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
