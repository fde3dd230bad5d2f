import { jsonDepthOver, MAX_JSON_DEPTH } from './json-body';

describe('jsonDepthOver', () => {
  const nested = (n: number): string => '['.repeat(n) + ']'.repeat(n);

  it('passes what MES models look like, up to the limit', () => {
    expect(jsonDepthOver('{"a":{"b":[1,{"c":2}]}}', MAX_JSON_DEPTH)).toBeUndefined();
    expect(jsonDepthOver(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBeUndefined();
    expect(jsonDepthOver('"plain"', MAX_JSON_DEPTH)).toBeUndefined();
  });

  it('stops at the first level past the limit, even 20,000 deep', () => {
    expect(jsonDepthOver(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(MAX_JSON_DEPTH + 1);
    expect(jsonDepthOver(nested(20_000), MAX_JSON_DEPTH)).toBe(MAX_JSON_DEPTH + 1);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ s: '[[[[{{{{'.repeat(100), t: 'a\\"[[[' });
    expect(jsonDepthOver(text, 2)).toBeUndefined();
  });
});
