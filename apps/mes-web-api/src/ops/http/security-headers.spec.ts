import { apiSecurityHeaders, swaggerSecurityHeaders } from './security-headers';

const asObject = (list: ReadonlyArray<readonly [string, string]>) => Object.fromEntries(list);

describe('security headers', () => {
  it('API answers: nothing may run, be framed or sniffed (the OWASP REST set); HSTS only with TLS', () => {
    expect(asObject(apiSecurityHeaders(false))).toEqual({
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    });
    expect(asObject(apiSecurityHeaders(true))['strict-transport-security']).toBe(
      'max-age=31536000',
    );
  });

  it("Swagger UI: own scripts only, inline styles, the authorities' origins for the login", () => {
    const headers = asObject(
      swaggerSecurityHeaders(false, [
        'https://sms1/identitymanager',
        'https://sms2:8443/identitymanager',
        'https://sms1/other',
      ]),
    );
    expect(headers['content-security-policy']).toBe(
      "default-src 'self';base-uri 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data:;font-src 'self' data:;connect-src 'self' https://sms1 https://sms2:8443;form-action 'self';frame-ancestors 'self';object-src 'none'",
    );
    expect(headers).not.toHaveProperty('cross-origin-opener-policy');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers).not.toHaveProperty('strict-transport-security');
  });
});
