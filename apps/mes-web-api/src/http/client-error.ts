import type { Socket } from 'node:net';
import { MesError, MesErrorCode, PROBLEM_CONTENT_TYPE, toProblem } from '@mes-web-api/common';

/** What node's HTTP parser reports when a request cannot be read at all. */
interface ClientError extends Error {
  code?: string;
}

/** The problem a request gets when node's HTTP parser refused it (no route ever saw it). */
export function clientErrorProblem(error: ClientError): Buffer {
  const refusal =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new MesError(
          MesErrorCode.HeadersTooLarge,
          'The request line and headers are larger than this server accepts (a very long URL or header); send less.',
        )
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new MesError(
            MesErrorCode.RequestTimeout,
            'The request was not received in time; send it again.',
          )
        : new MesError(MesErrorCode.MalformedRequest, 'The request is not valid HTTP/1.1.');
  const { status, body } = toProblem(refusal);
  const json = JSON.stringify(body);
  return Buffer.from(
    `HTTP/1.1 ${status} ${body.title}\r\n` +
      `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\n` +
      'Cache-Control: no-store\r\n' +
      // The parser cannot read past this request: say so, so a keep-alive client opens a new
      // connection for its next request instead of sending it into a closed socket.
      'Connection: close\r\n\r\n' +
      json,
  );
}

/**
 * fastify's `clientErrorHandler`: a request node's HTTP parser refused (headers too large,
 * not HTTP, too slow) gets a problem body and `Connection: close`, then the socket is closed.
 */
export function answerClientError(error: ClientError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // end(), not destroy(): the answer is read before the close; a peer that never closes its
  // side is cut off after a second.
  socket.end(clientErrorProblem(error));
  setTimeout(() => socket.destroy(), 1_000).unref();
}
