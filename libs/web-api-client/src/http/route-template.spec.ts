import { WebApiDefinition } from '../definitions/web-api-definition';
import { MesWebApiUsageError } from '../errors/web-api-client.errors';
import { appendQuery, buildRequestUrl, expandRoute } from './route-template';

const definition = (requestUri = 'api'): WebApiDefinition =>
  WebApiDefinition.create({
    name: 'd',
    baseAddress: 'https://mes.example.com/mesmw/',
    requestUri,
    authenticationMode: 'User Access Token',
  });

describe('route templates', () => {
  it('substitutes URL-encoded placeholder values', () => {
    expect(
      expandRoute('api/jobs?woId={woId}&operId={operId}&seqNo={seqNo}', {
        woId: 'WO 1/ä&x=y',
        operId: 'op#10',
        seqNo: 0,
      }),
    ).toBe('api/jobs?woId=WO%201%2F%C3%A4%26x%3Dy&operId=op%2310&seqNo=0');
    expect(expandRoute('api/v3/entity/{entId}', { entId: 7 })).toBe('api/v3/entity/7');
  });

  it('names every missing placeholder', () => {
    expect(() =>
      expandRoute('api/jobs?woId={woId}&operId={operId}', { woId: 'a', operId: null }),
    ).toThrow(
      new MesWebApiUsageError(
        'Route "api/jobs?woId={woId}&operId={operId}" needs a value for {operId}; pass it in params (e.g. params: { operId: … })',
      ),
    );
    expect(() => expandRoute('api/{ bad name }', {})).toThrow(/invalid placeholder/);
    expect(() => expandRoute('api/{x', {})).toThrow(/unbalanced/);
  });

  it('appends query parameters', () => {
    expect(appendQuery('api/v3/entity', { maxRows: 5, skip: undefined })).toBe(
      'api/v3/entity?maxRows=5',
    );
    expect(appendQuery('api/jobs?a=1', { b: 'x y' })).toBe('api/jobs?a=1&b=x%20y');
  });

  it('builds URLs: relative to the Base Address when the route starts with Request (URI)', () => {
    const d = definition();
    expect(buildRequestUrl(d, 'api/v3/entity').href).toBe(
      'https://mes.example.com/mesmw/api/v3/entity',
    );
    expect(buildRequestUrl(d, '/API/v3/entity').href).toBe(
      'https://mes.example.com/mesmw/API/v3/entity',
    );
    expect(buildRequestUrl(d, 'v3/entity?x=1').href).toBe(
      'https://mes.example.com/mesmw/api/v3/entity?x=1',
    );
    expect(buildRequestUrl(d, 'apiary').href).toBe('https://mes.example.com/mesmw/api/apiary');
    expect(buildRequestUrl(d, 'api?x=1').href).toBe('https://mes.example.com/mesmw/api?x=1');
    expect(buildRequestUrl(d, '').href).toBe('https://mes.example.com/mesmw/api');
    expect(buildRequestUrl(definition(''), 'health').href).toBe(
      'https://mes.example.com/mesmw/health',
    );
  });

  it('refuses absolute routes and routes leaving the Base Address', () => {
    expect(() => buildRequestUrl(definition(), 'https://evil.example.com/x')).toThrow(
      /not an absolute URL/,
    );
    expect(() => buildRequestUrl(definition(), '//evil.example.com/x')).toThrow(
      /not an absolute URL/,
    );
    expect(() => buildRequestUrl(definition(), 'api/../../x')).toThrow(
      /leads outside the Base Address/,
    );
  });
});
