import { clientErrorProblem } from './client-error';

describe('clientErrorProblem', () => {
  const parse = (raw: Buffer) => {
    const text = raw.toString('utf8');
    const [head, body] = text.split('\r\n\r\n');
    return { head, body: JSON.parse(body) as Record<string, unknown>, text };
  };

  it('answers oversized headers with 431, a problem body and Connection: close', () => {
    const error = Object.assign(new Error('Header overflow'), { code: 'HPE_HEADER_OVERFLOW' });
    const { head, body } = parse(clientErrorProblem(error));
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toContain('Connection: close');
    expect(head).toContain('Content-Type: application/problem+json');
    expect(body).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
  });

  it('answers a slow request with 408 and anything else with 400, with an exact length', () => {
    const slow = Object.assign(new Error('t'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' });
    expect(parse(clientErrorProblem(slow)).body).toMatchObject({ code: 'REQUEST_TIMEOUT' });
    const raw = clientErrorProblem(Object.assign(new Error('bad'), { code: 'HPE_INVALID_METHOD' }));
    const { head, body } = parse(raw);
    expect(body).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' });
    const length = Number(/Content-Length: (\d+)/.exec(head)?.[1]);
    expect(length).toBe(Buffer.byteLength(JSON.stringify(body)));
  });
});
