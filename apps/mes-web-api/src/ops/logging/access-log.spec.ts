import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { AccessLogEntry, jsonAccessLog, prettyAccessLog } from './access-log';
import { createPinoLogger } from './json-logger';

function sink(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

const entry: AccessLogEntry = {
  requestId: 'c1bec0bd-ce03-4b2c-89e2-8573f11c6d5a',
  method: 'GET',
  route: '/mesmw/api/v3/entity/key',
  path: '/mesmw/api/v3/entity/key',
  status: 200,
  durationMs: 0.41234,
  clientIp: '127.0.0.1',
  user: { userId: 'mes\\operator', mode: 'user', clientId: 'mes-swagger-ui' },
};

describe('access log', () => {
  it('json: one parseable line with every field, in the shape of the pino lines', () => {
    const { lines, stream } = sink();
    jsonAccessLog(stream)(entry);
    createPinoLogger('log', stream).info({ context: 'main' }, 'hello');
    expect(lines).toHaveLength(2);
    const line = JSON.parse(lines[0]);
    expect(line).toEqual({
      level: 'info',
      time: expect.any(Number),
      pid: process.pid,
      hostname: expect.any(String),
      name: 'mes-web-api',
      context: 'http',
      msg: 'request',
      req_id: entry.requestId,
      method: 'GET',
      route: '/mesmw/api/v3/entity/key',
      path: '/mesmw/api/v3/entity/key',
      status: 200,
      duration_ms: 0.412,
      client_ip: '127.0.0.1',
      user: 'mes\\operator',
      mode: 'user',
      client_id: 'mes-swagger-ui',
    });
    const pinoLine = JSON.parse(lines[1]);
    for (const key of ['level', 'time', 'pid', 'hostname', 'name', 'context', 'msg']) {
      expect(typeof pinoLine[key]).toBe(typeof line[key]);
    }
  });

  it('json: texts kept for repeats (route, method, address, frozen user) stay exact', () => {
    const { lines, stream } = sink();
    const write = jsonAccessLog(stream);
    const frozen = Object.freeze({ userId: 'mes\\a"b', mode: 'service' as const });
    const open = { userId: 'first', mode: 'user' as const };
    write({ ...entry, user: frozen, durationMs: 1.5 });
    write({ ...entry, user: frozen, durationMs: 12345.0006, clientIp: '10.0.0.2' });
    write({ ...entry, user: open, durationMs: 0.0004, route: '<unmatched>', method: 'POST' });
    open.userId = 'second';
    write({ ...entry, user: open, durationMs: 0.05, clientIp: '127.0.0.1' });
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((l) => [l.user, l.mode, l.client_id])).toEqual([
      ['mes\\a"b', 'service', undefined],
      ['mes\\a"b', 'service', undefined],
      ['first', 'user', undefined],
      ['second', 'user', undefined],
    ]);
    expect(parsed.map((l) => l.duration_ms)).toEqual([1.5, 12345.001, 0, 0.05]);
    expect(parsed.map((l) => l.client_ip)).toEqual([
      '127.0.0.1',
      '10.0.0.2',
      '127.0.0.1',
      '127.0.0.1',
    ]);
    expect(parsed.map((l) => [l.method, l.route])).toEqual([
      ['GET', entry.route],
      ['GET', entry.route],
      ['POST', '<unmatched>'],
      ['GET', entry.route],
    ]);
  });

  it('json: leaves out the user for anonymous requests and escapes what needs it', () => {
    const { lines, stream } = sink();
    jsonAccessLog(stream)({
      ...entry,
      user: undefined,
      route: '<unmatched>',
      path: '/mesmw/a"b\\c\u0001',
      clientIp: undefined,
    });
    const line = JSON.parse(lines[0]);
    expect(line.path).toBe('/mesmw/a"b\\c\u0001');
    expect(line.route).toBe('<unmatched>');
    expect(line).not.toHaveProperty('user');
    expect(line).not.toHaveProperty('client_ip');
  });

  it('pretty: one readable line through Nest (context HTTP)', () => {
    const logger = new Logger('HTTP');
    const log = jest.spyOn(logger, 'log').mockImplementation(() => undefined);
    prettyAccessLog(logger)(entry);
    expect(log).toHaveBeenCalledWith(
      'GET /mesmw/api/v3/entity/key 200 0.4ms route=/mesmw/api/v3/entity/key id=c1bec0bd-ce03-4b2c-89e2-8573f11c6d5a ip=127.0.0.1 user=user:mes\\operator client=mes-swagger-ui',
    );
  });
});
