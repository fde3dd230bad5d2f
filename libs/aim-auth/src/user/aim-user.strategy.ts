import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { MesError, MesErrorCode, MesPrincipal } from '@mes/common';
import { AIM_USER_STRATEGY } from '../aim-auth.constants';
import { AimAuthFailure } from '../interfaces/aim-auth-failure.interface';
import { BearerTokenStrategy } from '../strategies/bearer-token.strategy';
import { classifyToken, wrongKindFailure } from '../strategies/token-kind';
import { AimTokenVerifier } from '../token/aim-token-verifier';
import { MesUserDirectory } from './mes-user-directory';

/**
 * `aim-user`: accepts a verified USER access token whose user is an active MES user. A service
 * token is not its kind: it answers `false` so the next strategy (if any) can try.
 */
@Injectable()
export class AimUserStrategy extends PassportStrategy(BearerTokenStrategy, AIM_USER_STRATEGY) {
  /**
   * Built once: every service token passes here first (when this strategy runs before
   * `aim-service`), and a new MesError per request (stack capture, challenge) is measurable.
   */
  private wrongKind?: AimAuthFailure;

  constructor(
    private readonly verifier: AimTokenVerifier,
    private readonly directory: MesUserDirectory,
  ) {
    super(() => verifier.realm);
  }

  async validate(token: string): Promise<MesPrincipal | [false, AimAuthFailure]> {
    const claims = await this.verifier.verify(token);
    const kind = classifyToken(claims, this.directory.options.userClaim);
    if (kind.kind !== 'user')
      return [
        false,
        (this.wrongKind ??= wrongKindFailure(
          this.verifier.realm,
          'this API accepts user access tokens only, not service tokens',
        )),
      ];
    const userId = this.directory.toUserId(kind.userName);
    switch (await this.directory.status(userId)) {
      case 'active':
        return kind.clientId === undefined
          ? { userId, mode: 'user' }
          : { userId, mode: 'user', clientId: kind.clientId };
      case 'inactive':
        throw new MesError(MesErrorCode.UserInactive, `The MES user "${userId}" is not active.`);
      case 'unknown':
        throw new MesError(MesErrorCode.UserNotFound, `"${userId}" is not an MES user.`);
    }
  }
}
