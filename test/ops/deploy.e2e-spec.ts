import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValidRequestId } from '../../apps/mes-web-api/src/ops/http/request-id';
import { hasTool, ROOT } from './ops-support';

/*
 * deploy/: the systemd unit passes `systemd-analyze verify`; the HAProxy configuration passes
 * `haproxy -c` and, run for real in front of two stand-in API instances, terminates TLS, forwards
 * the client address, health-checks /mesmw/health/ready and keeps every request naming a trans_id
 * (header or query) on the instance that opened the transaction. Under CI=true a missing tool
 * fails the suite.
 */

const SYSTEMD = hasTool('systemd-analyze', ['--version'], 'apt-get install systemd');
const HAPROXY = hasTool('haproxy', ['-v'], 'apt-get install haproxy');
const UNIT = join(ROOT, 'deploy', 'systemd', 'mes-web-api.service');
const HAPROXY_CFG = join(ROOT, 'deploy', 'haproxy', 'mes-web-api.cfg');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

function send(
  scheme: 'http' | 'https',
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = (scheme === 'https' ? httpsRequest : httpRequest)(
      { host: '127.0.0.1', port, method, path, headers, rejectUnauthorized: false, agent: false },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** A stand-in API instance: ready probe, POST transaction (a new trans_id), anything else echoes. */
async function standIn(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0].toLowerCase();
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-backend': name });
      res.end(JSON.stringify(body));
    };
    if (path === '/mesmw/health/ready') return json(200, { status: 'ready' });
    if (req.method === 'POST' && path === '/mesmw/api/v3/transaction') {
      return json(200, { trans_id: randomUUID(), trans_start_utc: new Date().toISOString() });
    }
    json(200, {
      forwardedFor: req.headers['x-forwarded-for'] ?? null,
      requestId: req.headers['x-request-id'] ?? null,
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('ops: deployment files', () => {
  (SYSTEMD ? it : it.skip)('the systemd unit passes systemd-analyze verify', () => {
    const run = spawnSync('systemd-analyze', ['verify', UNIT], { encoding: 'utf8' });
    expect({ status: run.status, output: `${run.stdout}${run.stderr}`.trim() }).toEqual({
      status: 0,
      output: '',
    });
    // The check is real: a unit with a bad directive value fails it.
    const dir = mkdtempSync(join(tmpdir(), 'mes-unit-'));
    try {
      const broken = join(dir, 'mes-web-api.service');
      writeFileSync(broken, readFileSync(UNIT, 'utf8').replace('Type=simple', 'Type=sometimes'));
      const bad = spawnSync('systemd-analyze', ['verify', broken], { encoding: 'utf8' });
      expect(`${bad.stdout}${bad.stderr}`).toMatch(/service type/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  (HAPROXY ? describe : describe.skip)('HAProxy', () => {
    let dir: string;
    let cert: string;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'mes-haproxy-'));
      const key = join(dir, 'key.pem');
      const crt = join(dir, 'crt.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-keyout',
          key,
          '-out',
          crt,
        ],
        { stdio: 'ignore' },
      );
      cert = join(dir, 'mes-web-api.pem');
      writeFileSync(cert, readFileSync(crt, 'utf8') + readFileSync(key, 'utf8'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** The shipped file with only the certificate path, listen addresses and servers replaced. */
    function localConfig(https: number, http: number, servers: number[]): string {
      let text = readFileSync(HAPROXY_CFG, 'utf8')
        .replace('/etc/haproxy/certs/mes-web-api.pem', cert)
        .replace('bind :443 ', `bind 127.0.0.1:${https} `)
        .replace('bind :80', `bind 127.0.0.1:${http}`);
      text = text.replace(
        'server api1 127.0.0.1:3001 check',
        `server api1 127.0.0.1:${servers[0]} check`,
      );
      text = text.replace(
        'server api2 127.0.0.1:3002 check',
        `server api2 127.0.0.1:${servers[1]} check`,
      );
      const file = join(dir, 'haproxy.cfg');
      writeFileSync(file, text);
      return file;
    }

    it('passes haproxy -c', async () => {
      const file = localConfig(await freePort(), await freePort(), [3001, 3002]);
      const run = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8' });
      expect({
        status: run.status,
        output: run.status === 0 ? '' : `${run.stdout}${run.stderr}`,
      }).toEqual({ status: 0, output: '' });
    });

    it('terminates TLS, forwards the client address and keeps trans_id on the instance that opened it', async () => {
      const a = await standIn('api1');
      const b = await standIn('api2');
      const https = await freePort();
      const http = await freePort();
      const file = localConfig(https, http, [a.port, b.port]);
      let haproxy: ChildProcess | undefined;
      let log = '';
      try {
        haproxy = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
        haproxy.stdout?.on('data', (c: Buffer) => (log += c.toString()));
        haproxy.stderr?.on('data', (c: Buffer) => (log += c.toString()));
        // Both servers up (health checks on /mesmw/health/ready every 2 s, rise 2).
        const seen = new Set<string>();
        const deadline = Date.now() + 20_000;
        while (seen.size < 2 && Date.now() < deadline) {
          try {
            const res = await send('https', https, 'GET', '/mesmw/api/v3/entity');
            if (res.headers['x-backend']) seen.add(String(res.headers['x-backend']));
          } catch {
            // not listening yet
          }
          if (seen.size < 2) await new Promise((r) => setTimeout(r, 250));
        }
        expect({ seen: [...seen].sort(), log: seen.size < 2 ? log : '' }).toEqual({
          seen: ['api1', 'api2'],
          log: '',
        });

        const plain = await send('http', http, 'GET', '/mesmw/health');
        expect(plain.status).toBe(301);
        expect(plain.headers.location).toMatch(/^https:\/\//);
        expect((await send('https', https, 'GET', '/metrics')).status).toBe(404);
        const echoed = await send('https', https, 'GET', '/mesmw/api/v3/entity', {
          'x-request-id': 'client-id-1',
        });
        expect(echoed.headers['strict-transport-security']).toBe('max-age=31536000');
        expect(JSON.parse(echoed.body)).toEqual({
          forwardedFor: '127.0.0.1',
          requestId: 'client-id-1',
        });
        const generated = JSON.parse(
          (await send('https', https, 'GET', '/mesmw/api/v3/entity')).body,
        );
        // HAProxy's id is one the API keeps rather than replaces.
        expect({ id: generated.requestId, valid: isValidRequestId(generated.requestId) }).toEqual({
          id: generated.requestId,
          valid: true,
        });

        for (let t = 0; t < 6; t++) {
          const opened = await send('https', https, 'POST', '/mesmw/api/v3/transaction', {
            'content-length': '0',
          });
          expect(opened.status).toBe(200);
          const owner = opened.headers['x-backend'];
          const transId = (JSON.parse(opened.body) as { trans_id: string }).trans_id;
          const owners = new Set<string>();
          for (let i = 0; i < 4; i++) {
            const byHeader = await send('https', https, 'PUT', '/mesmw/api/v3/Jobs/Start', {
              trans_id: transId,
              'content-length': '0',
            });
            owners.add(String(byHeader.headers['x-backend']));
            const byQuery = await send(
              'https',
              https,
              'GET',
              `/mesmw/api/v3/entity?trans_id=${transId}`,
            );
            owners.add(String(byQuery.headers['x-backend']));
          }
          expect({ transId, owners: [...owners] }).toEqual({ transId, owners: [owner] });
        }
      } finally {
        haproxy?.kill('SIGTERM');
        if (haproxy && haproxy.exitCode === null)
          await new Promise((r) => haproxy?.once('exit', r));
        a.server.close();
        b.server.close();
      }
    }, 60_000);
  });
});
