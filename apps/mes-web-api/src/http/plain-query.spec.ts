import { parsePlainQuery } from './plain-query';

const NAMES = ['entId', 'tz_id', 'max_rows'];

describe('parsePlainQuery', () => {
  it.each([
    ['', {}],
    ['entId=5', { entId: '5' }],
    ['entId=5&tz_id=Europe%2FBerlin', { entId: '5', tz_id: 'Europe/Berlin' }],
    ['tz_id=W.+Europe+Standard+Time&entId=3', { tz_id: 'W. Europe Standard Time', entId: '3' }],
    ['entId=', { entId: '' }],
    ['entId=abc&max_rows=10', { entId: 'abc', max_rows: '10' }],
    ['entId=%2B1', { entId: '+1' }],
  ])('%j → %j', (query, params) => {
    expect(parsePlainQuery(query, NAMES)).toEqual(params);
  });

  it.each([
    ['entId=1&entId=2', 'a repeated name'],
    ['entId=5&foo=bar', 'a name the lane does not read'],
    ['ENTID=5', 'another spelling of a name'],
    ['entId', 'a name without a value'],
    ['=5', 'a value without a name'],
    ['entId=5&', 'an empty pair at the end'],
    ['&entId=5', 'an empty pair at the start'],
    ['entId=5&&tz_id=UTC', 'an empty pair between'],
    ['entId=%ZZ', 'a bad percent sequence'],
    ['entId%3D5', 'an encoded ='],
    ['__proto__=1', 'a prototype name'],
    ['constructor=1', 'an inherited name'],
  ])('%j (%s) is left to fastify', (query) => {
    expect(parsePlainQuery(query, NAMES)).toBeUndefined();
  });

  it('reads values as fastify does: + is a space, %XX is decoded, = inside a value is kept', () => {
    expect(parsePlainQuery('tz_id=a=b+c%20d', NAMES)).toEqual({ tz_id: 'a=b c d' });
  });
});
