import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigError } from '../../config/env-parsers';
import { MesMetrics } from './mes-metrics';

export const METRICS_PATH = '/metrics';

/**
 * The Prometheus listener: `GET /metrics` on its own address (METRICS_HOST:METRICS_PORT), never
 * on the API port, so the API's proxy and firewall rules never expose it. A plain node:http
 * server: nothing of the API's (guards, hooks, CORS) runs here. Opened by `listenMesWebApi`,
 * closed with the app.
 */
@Injectable()
export class MetricsServer implements OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(private readonly metrics: MesMetrics) {}

  /** The URL it serves, once listening. */
  get url(): string | undefined {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) return undefined;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}${METRICS_PATH}`;
  }

  async listen(host: string, port: number): Promise<string> {
    if (this.server) throw new Error('the metrics listener is already open');
    const server = createServer((request, response) => void this.handle(request, response));
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'EADDRINUSE' || error.code === 'EADDRNOTAVAIL' || error.code === 'EACCES'
            ? new ConfigError(
                `Cannot serve metrics on ${host}:${port} (${error.code}): set METRICS_PORT to a free port (0: any free port) and METRICS_HOST to an address of this machine, or METRICS_PORT=off.`,
              )
            : error,
        );
      });
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    return this.url as string;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?', 1)[0];
    if (path !== METRICS_PATH) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    try {
      const { contentType, body } = await this.metrics.scrape();
      response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      this.logger.error(`Scrape failed: ${error instanceof Error ? error.message : String(error)}`);
      response
        .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Scrape failed\n');
    }
  }
}
