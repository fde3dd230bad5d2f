import { Test } from '@nestjs/testing';
import { AimAuthConfigError } from './aim-auth-config.error';
import { AimTokenModule } from './aim-token.module';
import { resolveAimTokenOptions } from './aim-token-options';

const good = { authorities: ['https://sms1/identitymanager'], audiences: ['system'] };

describe('resolveAimTokenOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveAimTokenOptions(good)).toEqual({
      authorities: ['https://sms1/identitymanager'],
      audiences: ['system'],
      algorithms: ['RS256'],
      clockSkewS: 60,
      memoTtlMs: 60_000,
      memoMaxEntries: 10_000,
      fetchTimeoutMs: 5_000,
      jwksCooldownMs: 30_000,
      jwksMaxAgeMs: 600_000,
      failureBackoffMs: 2_000,
      realm: 'mes-web-api',
    });
  });

  it('accepts plain http on loopback hosts only', () => {
    expect(() =>
      resolveAimTokenOptions({ ...good, authorities: ['http://127.0.0.1:5000/identitymanager'] }),
    ).not.toThrow();
    expect(() =>
      resolveAimTokenOptions({ ...good, authorities: ['http://localhost:5000/identitymanager'] }),
    ).not.toThrow();
    expect(() =>
      resolveAimTokenOptions({ ...good, authorities: ['http://sms1/identitymanager'] }),
    ).toThrow(/uses plain http; use https/);
  });

  it.each([
    [{ ...good, authorities: [] }, /authorities is empty; set at least one trusted issuer URL/],
    [{ ...good, authorities: undefined as unknown as string[] }, /authorities is empty/],
    [{ ...good, authorities: ['sms1/identitymanager'] }, /is not a URL; set the issuer URL/],
    [{ ...good, authorities: ['ftp://sms1/identitymanager'] }, /must be an https URL/],
    [{ ...good, authorities: ['https://sms1/identitymanager?x=1'] }, /must not carry a query/],
    [{ ...good, audiences: [] }, /audiences must list at least one/],
    [{ ...good, algorithms: ['none'] }, /"none" is never accepted/],
    [
      { ...good, algorithms: ['HS256'] },
      /"HS256" is never accepted \(symmetric and unsigned tokens are refused\)/,
    ],
    [{ ...good, algorithms: ['RS256', 'XY1'] }, /unknown algorithm "XY1"/],
    [{ ...good, algorithms: [] }, /algorithms is empty/],
    [{ ...good, clockSkewS: -1 }, /clockSkewS must be a number between 0 and 3600/],
    [{ ...good, memoMaxEntries: Number.NaN }, /memoMaxEntries must be a number/],
    [{ ...good, realm: 'a"b' }, /realm must be printable ASCII/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveAimTokenOptions(options)).toThrow(AimAuthConfigError);
    expect(() => resolveAimTokenOptions(options)).toThrow(message);
  });

  it('normalises algorithm names and removes duplicates', () => {
    expect(
      resolveAimTokenOptions({ ...good, algorithms: ['rs256', 'RS256', 'es256'] }).algorithms,
    ).toEqual(['RS256', 'ES256']);
  });
});

describe('AimTokenModule startup validation', () => {
  it('fails at module init for an empty authority list', async () => {
    await expect(
      Test.createTestingModule({
        imports: [AimTokenModule.forRoot({ authorities: [], audiences: ['system'] })],
      }).compile(),
    ).rejects.toThrow(/AimTokenModule: authorities is empty/);
  });

  it('fails at module init for a non-URL issuer (forRootAsync too)', async () => {
    await expect(
      Test.createTestingModule({
        imports: [
          AimTokenModule.forRootAsync({
            useFactory: () => ({ authorities: ['sms1'], audiences: ['system'] }),
          }),
        ],
      }).compile(),
    ).rejects.toThrow(/authority "sms1" is not a URL/);
  });

  it('fails at module init for alg none', async () => {
    await expect(
      Test.createTestingModule({
        imports: [AimTokenModule.forRoot({ ...good, algorithms: ['RS256', 'none'] })],
      }).compile(),
    ).rejects.toThrow(/"none" is never accepted/);
  });
});
