import type { IncomingMessage } from 'node:http';
import { idGenerator, isValidRequestId, requestIdOf } from './request-id';

const GENERATED = /^[0-9a-f]{16}-[0-9a-z]+$/;
const withHeader = (value?: string | string[]): IncomingMessage =>
  ({ headers: value === undefined ? {} : { 'x-request-id': value } }) as IncomingMessage;

describe('request id', () => {
  it.each([
    'c1bec0bd-ce03-4b2c-89e2-8573f11c6d5a',
    'req-1',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    'Root=1-67891233-abcdef012345678912345678',
    'a'.repeat(128),
  ])('keeps a valid x-request-id: %s', (id) => {
    expect(isValidRequestId(id)).toBe(true);
    expect(requestIdOf(withHeader(id))).toBe(id);
  });

  it.each([
    ['empty', ''],
    ['too long', 'a'.repeat(129)],
    ['a space', 'abc def'],
    ['a quote', 'abc"def'],
    ['a control character', 'abc\u0001'],
    ['a line break', 'abc\ndef'],
    ['non-ASCII', 'abcé'],
    ['a JSON fragment', '","level":"fatal'],
  ])('replaces an x-request-id with %s by a new id', (_why, id) => {
    expect(isValidRequestId(id)).toBe(false);
    expect(requestIdOf(withHeader(id))).toMatch(GENERATED);
  });

  it('generates a new id without the header or with it repeated', () => {
    const a = requestIdOf(withHeader());
    const b = requestIdOf(withHeader());
    expect(a).toMatch(GENERATED);
    expect(b).toMatch(GENERATED);
    expect(a).not.toBe(b);
    expect(requestIdOf(withHeader(['x', 'y']))).toMatch(GENERATED);
  });

  it('draws ids from a random prefix and a counter: unique per process and request', () => {
    const a = idGenerator();
    const b = idGenerator();
    const ids = new Set([a(), a(), a(), b(), b()]);
    expect(ids.size).toBe(5);
    expect(a()).toMatch(/-4$/);
  });
});
