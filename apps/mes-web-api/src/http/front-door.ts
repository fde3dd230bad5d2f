import {
  createServer as createHttpServer,
  IncomingMessage,
  OutgoingHttpHeaders,
  Server,
  ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { WriteBatcher } from './write-batcher';

/** A ready answer: status, JSON text and, when the route sets it, `Cache-Control`. */
export interface FrontDoorAnswer {
  statusCode: number;
  body: string;
  cacheControl?: string;
}

/**
 * One route answered below fastify. Given the request and its query string (without `?`), the
 * answer fastify and Nest would give, or `undefined` to hand the request to them (anything but
 * the plain successful case: the lane never answers an error). A lane only reads.
 */
export type FrontDoorLane = (
  req: IncomingMessage,
  query: string,
) => FrontDoorAnswer | Promise<FrontDoorAnswer | undefined> | undefined;

/** The server settings fastify would apply to a server it created itself. */
export interface FrontDoorServerOptions {
  https?: { cert: Buffer; key: Buffer };
  keepAliveTimeout: number;
  requestTimeout: number;
  connectionTimeout: number;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The HTTP server under fastify (its `serverFactory`). It answers a few hot `GET` routes itself,
 * through lanes the app opens once it is ready (`serve`): each gives exactly the answer the Nest
 * route would give for a plain successful request, or hands the request on. Every other request,
 * every request with an `Origin` or `trans_id` header, and every request while the lanes are
 * closed (before the app is ready, during shutdown) goes to fastify unchanged. See README,
 * Performance, for what a lane saves and which requests take it.
 *
 * The server's sockets write through a {@link WriteBatcher}: the answers ready in one turn of the
 * event loop go out together at the end of that turn.
 */
export class FrontDoor {
  private readonly lanes = new Map<string, FrontDoorLane>();
  /** The headers of the last answer sent, reused while the answer is the same object. */
  private sent?: { answer: FrontDoorAnswer; headers: OutgoingHttpHeaders };

  /** Opens the lane for `GET <path>` (the exact path, as sent). */
  serve(path: string, lane: FrontDoorLane): void {
    this.lanes.set(path, lane);
  }

  /** Closes every lane: from now on fastify answers everything. */
  close(): void {
    this.lanes.clear();
  }

  /** fastify's `serverFactory`: a node server that tries the lanes, then hands over to fastify. */
  serverFactory(options: FrontDoorServerOptions): (fastify: Handler) => Server {
    return (fastify: Handler): Server => {
      const handler: Handler = (req, res) => {
        if (!this.tryLane(req, res, fastify)) fastify(req, res);
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

  private tryLane(req: IncomingMessage, res: ServerResponse, fastify: Handler): boolean {
    if (this.lanes.size === 0 || req.method !== 'GET') return false;
    const url = req.url ?? '';
    const mark = url.indexOf('?');
    const lane = this.lanes.get(mark < 0 ? url : url.slice(0, mark));
    if (lane === undefined || hasHeader(req.rawHeaders, LEFT_TO_FASTIFY)) return false;
    let answer: ReturnType<FrontDoorLane>;
    try {
      answer = lane(req, mark < 0 ? '' : url.slice(mark + 1));
    } catch {
      // A lane does not throw; if one ever did, fastify and Nest answer (and the filter maps it).
      return false;
    }
    if (answer === undefined) return false;
    if (!(answer instanceof Promise)) {
      this.send(res, answer);
      return true;
    }
    answer.then(
      (ready) => (ready === undefined ? fastify(req, res) : this.send(res, ready)),
      () => fastify(req, res),
    );
    return true;
  }

  private send(res: ServerResponse, answer: FrontDoorAnswer): void {
    let sent = this.sent;
    if (sent?.answer !== answer) {
      const headers: OutgoingHttpHeaders = {
        'content-type': JSON_TYPE,
        'content-length': Buffer.byteLength(answer.body),
      };
      if (answer.cacheControl !== undefined) headers['cache-control'] = answer.cacheControl;
      this.sent = sent = { answer, headers };
    }
    res.writeHead(answer.statusCode, sent.headers);
    res.end(answer.body);
  }
}

/** Header names (lower case) that send a request through fastify and Nest. */
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
