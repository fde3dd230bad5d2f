import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { call, RunningApi, startApi } from '../support/api';
import { TestAuthority } from '../support/test-authority';
import { userToken } from '../support/tokens';
import { ApiProcess, startApiProcess } from './ops-support';

/*
 * Probes through a process's life: start-up (ready 503 until the authority has been reached),
 * normal running, database loss (ready and health 503, live 200) and shutdown (ready 503 while
 * in-flight requests finish). Public answers carry status words only.
 */

const eventually = async (probe: () => Promise<boolean>, withinMs: number): Promise<boolean> => {
  const until = Date.now() + withinMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
};

/** Raw HTTP on one socket: the bytes so far, and a promise of the first whole answer. */
function rawClient(port: number): { socket: Socket; answer: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  const answer = new Promise<string>((resolve) => {
    socket.on('data', (d: Buffer) => {
      text += d.toString();
      const head = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      if (head !== -1 && length !== undefined && text.length >= head + 4 + Number(length)) {
        resolve(text);
      }
    });
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
  });
  return { socket, answer };
}

describe('ops: probes', () => {
  describe('in one process (normal running, database loss)', () => {
    let api: RunningApi;

    beforeAll(async () => {
      api = await startApi();
    });
    afterAll(() => api.close().catch(() => undefined));

    it('answers live and ready with status words, and public health shows no issuer or user id', async () => {
      const live = await call(`${api.base}/health/live`);
      expect({ status: live.status, body: live.body }).toEqual({
        status: 200,
        body: { status: 'ok' },
      });
      const ready = await call(`${api.base}/health/ready`);
      expect({ status: ready.status, body: ready.body }).toEqual({
        status: 200,
        body: { status: 'ready', database: 'up', authorities: 'reached' },
      });
      expect(ready.headers.get('cache-control')).toBe('no-store');
      const health = await call(`${api.base}/health`);
      expect(health.status).toBe(200);
      for (const text of [live.text, ready.text, health.text]) {
        expect(text).not.toContain(api.config.aim.authorities[0]);
        expect(text).not.toContain('127.0.0.1');
        expect(text).not.toMatch(/Default Background User|mes\\\\|user_id|issuer/i);
      }
      // The details are there for a caller with a token.
      const details = await call(`${api.base}/health/details`, {
        token: await userToken('mes\\operator'),
      });
      expect(details.status).toBe(200);
      expect(details.text).toContain(api.config.aim.authorities[0]);
    });

    it('answers ready 503 and health 503 without the database, live 200', async () => {
      await api.app.get(DataSource).destroy();
      await new Promise((r) => setTimeout(r, 1100)); // the report is reused for a second
      const ready = await call(`${api.base}/health/ready`);
      expect({ status: ready.status, body: ready.body }).toEqual({
        status: 503,
        body: { status: 'not ready', database: 'down', authorities: 'reached' },
      });
      const health = await call(`${api.base}/health`);
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'down', database: 'down' });
      expect((await call(`${api.base}/health/live`)).status).toBe(200);
    });
  });

  describe('as a real process (start-up, shutdown)', () => {
    let dir: string;
    let authority: TestAuthority;
    let api: ApiProcess | undefined;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'mes-ops-probes-'));
      authority = await TestAuthority.start();
    });
    afterAll(async () => {
      await api?.stop('SIGKILL');
      await authority?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('is not ready until the authority has been reached, then ready; during shutdown not ready while in-flight requests finish', async () => {
      await authority.stop(); // down at start-up
      api = await startApiProcess({
        DB_PATH: join(dir, 'mes.sqlite'),
        AIM_AUTHORITY: authority.issuer,
      });
      const base = api.base;
      expect((await call(`${base}/health/live`)).status).toBe(200);
      const early = await call(`${base}/health/ready`);
      expect({ status: early.status, body: early.body }).toEqual({
        status: 503,
        body: { status: 'not ready', database: 'up', authorities: 'pending' },
      });
      expect(early.text).not.toContain(authority.issuer);

      await authority.start();
      expect(
        await eventually(async () => (await call(`${base}/health/ready`)).status === 200, 10_000),
      ).toBe(true);
      // Once reached, a later outage of the authority does not make the instance unready
      // (known keys keep verifying tokens).
      await authority.stop();
      await new Promise((r) => setTimeout(r, 1100));
      expect((await call(`${base}/health/ready`)).status).toBe(200);
      await authority.start();

      // Shutdown: A is in flight (body half sent), B has sent half of a ready probe.
      const port = Number(new URL(api.origin).port);
      const a = rawClient(port);
      const b = rawClient(port);
      await Promise.all([once(a.socket, 'connect'), once(b.socket, 'connect')]);
      a.socket.write(
        'PUT /mesmw/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{"a":',
      );
      b.socket.write('GET /mesmw/health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      await new Promise((r) => setTimeout(r, 300));
      api.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      b.socket.write('\r\n');
      const readyDuringShutdown = await b.answer;
      expect(readyDuringShutdown).toMatch(/^HTTP\/1\.1 503 /);
      expect(readyDuringShutdown).not.toContain(authority.issuer);
      a.socket.write('"b"}');
      const inFlight = await a.answer;
      expect(inFlight).toMatch(/^HTTP\/1\.1 405 /); // answered, not dropped
      a.socket.destroy(); // the client leaves its keep-alive connection
      b.socket.destroy();
      const exit = await api.exited;
      expect(exit.code).toBe(0);
    }, 60_000);
  });
});
