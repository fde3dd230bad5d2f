import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { MesError, MesErrorCode, MesPrincipal } from '@mes-web-api/common';
import { AIM_USER_STRATEGY } from '../aim-auth.constants';
import { AimAuthFailure } from '../interfaces/aim-auth-failure.interface';
import { BearerTokenStrategy, BearerVerdict } from '../strategies/bearer-token.strategy';
import { classifyToken, wrongKindFailure } from '../strategies/token-kind';
import { AimTokenClaims, AimTokenVerifier } from '../token/aim-token-verifier';
import { MesUserDirectory, MesUserStatus } from './mes-user-directory';

/** The MES user a user token names. */
interface TokenUser {
  userId: string;
  clientId?: string;
}

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

  async validate(token: string): Promise<BearerVerdict> {
    const user = this.userOf(await this.verifier.verify(token));
    if (Array.isArray(user)) return user;
    return this.verdict(user, await this.directory.status(user.userId));
  }

  /** `validate` without waiting, for a remembered token of a user whose status is cached. */
  protected override verdictNow(token: string): BearerVerdict | undefined {
    const claims = this.verifier.remembered(token);
    if (claims === undefined) return undefined;
    const user = this.userOf(claims);
    if (Array.isArray(user)) return user;
    const status = this.directory.knownStatus(user.userId);
    return status === undefined ? undefined : this.verdict(user, status);
  }

  /** The MES user a verified token names, or the wrong-kind failure for a service token. */
  private userOf(claims: AimTokenClaims): TokenUser | [false, AimAuthFailure] {
    const kind = classifyToken(claims, this.directory.options.userClaim);
    if (kind.kind !== 'user')
      return [
        false,
        (this.wrongKind ??= wrongKindFailure(
          this.verifier.realm,
          'this API accepts user access tokens only, not service tokens',
        )),
      ];
    return { userId: this.directory.toUserId(kind.userName), clientId: kind.clientId };
  }

  private verdict({ userId, clientId }: TokenUser, status: MesUserStatus): MesPrincipal {
    switch (status) {
      case 'active':
        return clientId === undefined
          ? { userId, mode: 'user' }
          : { userId, mode: 'user', clientId };
      case 'inactive':
        throw new MesError(MesErrorCode.UserInactive, `The MES user "${userId}" is not active.`);
      case 'unknown':
        throw new MesError(MesErrorCode.UserNotFound, `"${userId}" is not an MES user.`);
    }
  }
}
