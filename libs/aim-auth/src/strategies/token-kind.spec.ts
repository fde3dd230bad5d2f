import { classifyToken, hasScope } from './token-kind';
import { extractBearerToken } from './bearer-token.strategy';

describe('classifyToken', () => {
  it('AIM user token: preferred_username names the user', () => {
    expect(
      classifyToken(
        { sub: 'mes\\operator', preferred_username: 'mes\\operator', client_id: 'portal' },
        'preferred_username',
      ),
    ).toEqual({ kind: 'user', userName: 'mes\\operator', clientId: 'portal' });
  });

  it('falls back to sub', () => {
    expect(
      classifyToken({ sub: 'mes\\operator', client_id: 'portal' }, 'preferred_username'),
    ).toEqual({
      kind: 'user',
      userName: 'mes\\operator',
      clientId: 'portal',
    });
  });

  it('client credentials without sub is a service token', () => {
    expect(
      classifyToken({ client_id: 'mes-scheduler', scope: ['system'] }, 'preferred_username'),
    ).toEqual({
      kind: 'service',
      clientId: 'mes-scheduler',
    });
  });

  it('RFC 9068 client credentials (sub === client_id) is a service token', () => {
    expect(
      classifyToken({ sub: 'mes-scheduler', client_id: 'mes-scheduler' }, 'preferred_username')
        .kind,
    ).toBe('service');
  });

  it('uses azp when client_id is absent, ignores empty claims', () => {
    expect(
      classifyToken({ sub: 'svc', azp: 'svc', preferred_username: '' }, 'preferred_username'),
    ).toEqual({
      kind: 'service',
      clientId: 'svc',
    });
  });
});

describe('hasScope', () => {
  it.each([
    [{ scope: 'openid system' }, 'system', true],
    [{ scope: 'system' }, 'system', true],
    [{ scope: 'system openid' }, 'system', true],
    [{ scope: ' system\topenid ' }, 'system', true],
    [{ scope: 'openid system' }, 'openid', true],
    [{ scope: 'systems openid' }, 'system', false],
    [{ scope: 'mysystem' }, 'system', false],
    [{ scope: 'subsystem system' }, 'system', true],
    [{ scope: 'sys' }, 'system', false],
    [{ scope: '' }, 'system', false],
    [{ scope: 'openid' }, '', false],
    [{ scope: ['system'] }, 'system', true],
    [{ scope: ['systems'] }, 'system', false],
    [{ scp: ['system', 1] }, 'system', true],
    [{ scp: 'a system b' }, 'system', true],
    [{ scope: 'openid', scp: 'system' }, 'system', false],
    [{ scope: 42 }, 'system', false],
    [{}, 'system', false],
  ])('%j has %j: %j', (claims, scope, expected) => {
    expect(hasScope(claims, scope)).toBe(expected);
  });
});

describe('extractBearerToken', () => {
  it.each([
    [undefined, undefined],
    ['Basic abc', undefined],
    ['Bearer', ''],
    ['Bearer   ', ''],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['Bearer  abc ', 'abc'],
    ['Bearerabc', undefined],
    ['Bearer eyJ.a-b_c~d+e/f=', 'eyJ.a-b_c~d+e/f='],
    ['Bearer a b', 'a b'],
    ['Bearer a\tb ', 'a\tb'],
    ['Bearer ab\n', undefined],
    ['Bearer a\rb', undefined],
    ['Bearer a\u2028b', undefined],
    ['Bearer  abc', 'abc'],
    ['Bearer abc\u00a0', 'abc'],
    ['Bearer \u00a0abc', 'abc'],
    ['Bearer x', 'x'],
    ['Bearer !', '!'],
  ])('%j → %j', (header, token) => {
    expect(
      extractBearerToken({ headers: header === undefined ? {} : { authorization: header } }),
    ).toBe(token);
  });

  it('reads the usual spelling without the regular expression, to the same result', () => {
    // The rule the fast path must agree with: RFC 6750's `Bearer` + whitespace + the rest, trimmed.
    const rule = (header: string) => {
      const match = /^\s*Bearer(?:\s+(.*))?$/i.exec(header);
      return match ? (match[1] ?? '').trim() : undefined;
    };
    const parts = ['Bearer', 'Bearer ', ' ', 'eyJ', '.', 'x', '\t', '\n', '\u00a0', '\u2029', '='];
    // Every header of up to four parts.
    const headers = [''];
    for (let depth = 0; depth < 4; depth++) {
      for (const head of headers.splice(0)) for (const part of parts) headers.push(head + part);
      for (const header of headers) {
        expect({
          header,
          token: extractBearerToken({ headers: { authorization: header } }),
        }).toEqual({ header, token: rule(header) });
      }
    }
  });
});
