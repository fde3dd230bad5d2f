import { AimAuthConfigError } from '../token/aim-auth-config.error';
import { resolveAimUserAuthOptions } from './aim-user-auth-options';

describe('resolveAimUserAuthOptions', () => {
  it('defaults: OS User mode, group claim role', () => {
    expect(resolveAimUserAuthOptions({})).toEqual({
      userClaim: 'preferred_username',
      stripDomain: false,
      userCacheTtlMs: 30_000,
      userCacheMaxEntries: 10_000,
      securityMode: 'os-user',
      groupClaim: 'role',
    });
  });

  it('OS Group mode with another group claim', () => {
    expect(
      resolveAimUserAuthOptions({ securityMode: 'os-group', groupClaim: ' groups ' }),
    ).toMatchObject({ securityMode: 'os-group', groupClaim: 'groups' });
  });

  it.each([
    [
      { securityMode: 'native' },
      'AimUserAuthModule: securityMode "native" (MES Native security) is not supported: the Web API needs a Windows security mode, os-user or os-group (MES_SECURITY_MODE).',
    ],
    [
      { securityMode: 'ad' },
      'AimUserAuthModule: securityMode must be one of os-user, os-group (MES_SECURITY_MODE).',
    ],
    [
      { groupClaim: ' ' },
      'AimUserAuthModule: groupClaim must name the token claim with the group SIDs (AIM_GROUP_CLAIM), e.g. role.',
    ],
  ])('refuses %j at start-up with a message that says what to set', (options, message) => {
    expect(() => resolveAimUserAuthOptions(options as never)).toThrow(
      new AimAuthConfigError(message),
    );
  });
});
