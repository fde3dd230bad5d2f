import { Writable } from 'node:stream';
import { createPinoLogger, PinoNestLogger } from './json-logger';

function capture(level: 'log' | 'debug' | 'error' = 'log') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, logger: new PinoNestLogger(createPinoLogger(level, stream)) };
}

describe('PinoNestLogger', () => {
  it("maps Nest's levels and context to pino's JSON lines", () => {
    const { lines, logger } = capture('debug');
    logger.log('started', 'NestApplication');
    logger.warn('slow', 'Cache');
    logger.debug('detail', 'Auth');
    logger.verbose('hidden', 'Auth');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', context: 'NestApplication', msg: 'started' }),
      expect.objectContaining({ level: 'warn', context: 'Cache', msg: 'slow' }),
      expect.objectContaining({ level: 'debug', context: 'Auth', msg: 'detail' }),
    ]);
  });

  it('keeps the stack of an error next to its message', () => {
    const { lines, logger } = capture();
    logger.error('GET /x failed', 'Error: boom\n    at x', 'ProblemDetails');
    expect(lines[0]).toMatchObject({
      level: 'error',
      msg: 'GET /x failed',
      stack: 'Error: boom\n    at x',
      context: 'ProblemDetails',
    });
  });

  it('filters by LOG_LEVEL', () => {
    const { lines, logger } = capture('error');
    logger.log('no');
    logger.warn('no');
    logger.error('yes');
    expect(lines.map((l) => l.msg)).toEqual(['yes']);
  });

  it('never writes credentials, whatever object reaches it', () => {
    const { lines, logger } = capture();
    logger.log({ msg: 'oops', authorization: 'Bearer eyJ.secret', password: 'pw' }, 'X');
    logger.log({ msg: 'nested', headers: { authorization: 'Bearer x' }, client_secret: 's' }, 'X');
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/eyJ\.secret|"pw"|Bearer x|"s"/);
    expect(lines[0]).toMatchObject({ authorization: '[redacted]', password: '[redacted]' });
  });
});
