import {
  createServer as createHttpServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { WriteBatcher } from './write-batcher';

/** A ready answer: status and JSON text. */
export interface FrontDoorAnswer {
  statusCode: number;
  body: string;
}

/** The server settings fastify would apply to a server it created itself. */
export interface FrontDoorServerOptions {
  https?: { cert: Buffer; key: Buffer };
  keepAliveTimeout: number;
  requestTimeout: number;
  connectionTimeout: number;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
};

/**
 * The HTTP server under fastify (its `serverFactory`). It answers exactly one request itself:
 * `GET <healthPath>`, spelled exactly so, without a query string, `trans_id` or `Origin` header,
 * from the health report the Nest health service keeps for one second. Load balancers poll that
 * path constantly, and answering it here costs a fraction of a trip through fastify and Nest
 * (see README, Performance). Every other request, and every request while the lane is closed
 * (before the app is ready, at debug log level, during shutdown), goes to fastify unchanged,
 * where the same report is served by the Nest health controller with the same body and headers.
 *
 * The server's sockets write through a {@link WriteBatcher}: the answers ready in one turn of the
 * event loop go out together at the end of that turn.
 */
export class FrontDoor {
  private health?: () => FrontDoorAnswer | Promise<FrontDoorAnswer>;
  /** The headers of the last answer sent, reused while the answer is the same object. */
  private sent?: { answer: FrontDoorAnswer; headers: Record<string, string | number> };

  constructor(private readonly healthPath: string) {}

  /** Opens the health lane with the source of the report; `undefined` closes it. */
  serveHealth(source: (() => FrontDoorAnswer | Promise<FrontDoorAnswer>) | undefined): void {
    this.health = source;
  }

  /** fastify's `serverFactory`: a node server that tries the lane, then hands over to fastify. */
  serverFactory(options: FrontDoorServerOptions): (fastify: Handler) => Server {
    return (fastify: Handler): Server => {
      const handler: Handler = (req, res) => {
        if (!this.tryHealth(req, res, fastify)) fastify(req, res);
      };
      const server: Server = options.https
        ? createHttpsServer(options.https, handler)
        : createHttpServer(handler);
      // What fastify sets on a server it creates itself (fastify/lib/server.js).
      server.keepAliveTimeout = options.keepAliveTimeout;
      server.requestTimeout = options.requestTimeout;
      server.setTimeout(options.connectionTimeout);
      const batcher = new WriteBatcher();
      const attach = (socket: Socket) => batcher.attach(socket);
      // TLS: the encrypted socket is the one the responses write to.
      if (options.https) server.on('secureConnection', attach);
      else server.on('connection', attach);
      return server;
    };
  }

  private tryHealth(req: IncomingMessage, res: ServerResponse, fastify: Handler): boolean {
    const health = this.health;
    if (health === undefined || req.method !== 'GET' || req.url !== this.healthPath) return false;
    if (hasHeader(req.rawHeaders, LEFT_TO_FASTIFY)) return false;
    const answer = health();
    if (!(answer instanceof Promise)) {
      this.send(res, answer);
      return true;
    }
    answer.then(
      (ready) => this.send(res, ready),
      // The report never rejects; if it ever did, the controller answers (and the filter maps it).
      () => fastify(req, res),
    );
    return true;
  }

  private send(res: ServerResponse, answer: FrontDoorAnswer): void {
    let sent = this.sent;
    if (sent?.answer !== answer) {
      const headers = { ...JSON_HEADERS, 'content-length': Buffer.byteLength(answer.body) };
      this.sent = sent = { answer, headers };
    }
    res.writeHead(answer.statusCode, sent.headers);
    res.end(answer.body);
  }
}

/** Header names (lower case) that send a health request through fastify and Nest. */
const LEFT_TO_FASTIFY = ['origin', 'trans_id', 'trans-id'];

/** Whether one of `names` is among the raw headers (without building `req.headers`). */
function hasHeader(raw: readonly string[], names: readonly string[]): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    for (const wanted of names) {
      if (name.length === wanted.length && name.toLowerCase() === wanted) return true;
    }
  }
  return false;
}
