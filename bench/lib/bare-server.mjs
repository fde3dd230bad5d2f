// The reference: a bare node:http server answering a small JSON body, the ceiling any framework
// on this machine is compared against. Prints "bare server ready: <origin>".
//
// `--work-us N` makes it a calibration instead: the same server, which keeps its CPU busy for N µs
// (a loop reading the monotonic clock) before each answer. It does no other work than bare, so
// its ratio to bare is the best any server that spends N µs per request of its own can reach on
// this machine, with this load generator (docs/performance.md, "What a ratio can reach").
import { createServer } from 'node:http';
import { REFERENCE_BODY, REFERENCE_CONTENT_TYPE } from './reference-answer.mjs';

const at = process.argv.indexOf('--work-us');
const workUs = at === -1 ? 0 : Number(process.argv[at + 1]);
if (!(Number.isInteger(workUs) && workUs >= 0 && workUs <= 1_000_000)) {
  console.error('bare-server: --work-us takes a whole number of microseconds (0 to 1,000,000)');
  process.exit(2);
}
const workNs = BigInt(workUs) * 1000n;
const hrtime = process.hrtime.bigint;

const length = Buffer.byteLength(REFERENCE_BODY);
const server = createServer(
  workUs === 0
    ? (req, res) => {
        res.writeHead(200, { 'content-type': REFERENCE_CONTENT_TYPE, 'content-length': length });
        res.end(REFERENCE_BODY);
      }
    : (req, res) => {
        const until = hrtime() + workNs;
        while (hrtime() < until);
        res.writeHead(200, { 'content-type': REFERENCE_CONTENT_TYPE, 'content-length': length });
        res.end(REFERENCE_BODY);
      },
);
server.listen(0, '127.0.0.1', () => {
  console.log(`bare server ready: http://127.0.0.1:${server.address().port}`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
