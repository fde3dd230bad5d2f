import { classifyToken, hasScope, scopesOf } from './token-kind';
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

describe('scopesOf', () => {
  it.each([
    [{ scope: 'openid system' }, ['openid', 'system']],
    [{ scope: ['system'] }, ['system']],
    [{ scp: ['system', 1] }, ['system']],
    [{ scope: 42 }, []],
    [{}, []],
  ])('%j', (claims, scopes) => {
    expect(scopesOf(claims)).toEqual(scopes);
  });
});

describe('hasScope agrees with scopesOf', () => {
  it.each([
    [{ scope: 'openid system' }, 'system'],
    [{ scope: 'system' }, 'system'],
    [{ scope: 'system openid' }, 'system'],
    [{ scope: ' system\topenid ' }, 'system'],
    [{ scope: 'systems openid' }, 'system'],
    [{ scope: 'mysystem' }, 'system'],
    [{ scope: 'subsystem system' }, 'system'],
    [{ scope: 'sys' }, 'system'],
    [{ scope: '' }, 'system'],
    [{ scope: 'openid' }, ''],
    [{ scope: ['system'] }, 'system'],
    [{ scope: ['systems'] }, 'system'],
    [{ scp: ['system', 1] }, 'system'],
    [{ scp: 'a system b' }, 'system'],
    [{ scope: 42 }, 'system'],
    [{}, 'system'],
  ])('%j has %j', (claims, scope) => {
    expect(hasScope(claims, scope)).toBe(scopesOf(claims).includes(scope));
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
  ])('%j → %j', (header, token) => {
    expect(
      extractBearerToken({ headers: header === undefined ? {} : { authorization: header } }),
    ).toBe(token);
  });
});
