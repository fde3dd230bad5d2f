import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { MesError, MesErrorCode, MesPrincipal } from '@mes-web-api/common';
import { AIM_USER_STRATEGY } from '../aim-auth.constants';
import { AimAuthFailure } from '../interfaces/aim-auth-failure.interface';
import { BearerTokenStrategy, BearerVerdict } from '../strategies/bearer-token.strategy';
import { GroupSids } from '../strategies/group-claim';
import { classifyToken, wrongKindFailure } from '../strategies/token-kind';
import { AimTokenClaims, AimTokenVerifier } from '../token/aim-token-verifier';
import { MesGroupDirectory } from './mes-group-directory';
import { MesUserDirectory, MesUserStatus } from './mes-user-directory';

/** The MES user a user token names. */
interface TokenUser {
  userId: string;
  clientId?: string;
}

/**
 * `aim-user`: accepts a verified USER access token whose user is an active MES user. A service
 * token is not its kind: it answers `false` so the next strategy (if any) can try.
 *
 * OS User mode (default): the user must exist in `user_name` and be active; its groups are its
 * `user_grp_link` rows. OS Group mode: the token's group SIDs (the group claim) must name at
 * least one MES group (`grp_name.sid`, `auth_method` 2); those groups are the principal's groups,
 * and a user not yet in `user_name` is created at its first call (an inactive one stays refused).
 */
@Injectable()
export class AimUserStrategy extends PassportStrategy(BearerTokenStrategy, AIM_USER_STRATEGY) {
  /**
   * Built once: every service token passes here first (when this strategy runs before
   * `aim-service`), and a new MesError per request (stack capture, challenge) is measurable.
   */
  private wrongKind?: AimAuthFailure;
  /** Set in OS Group mode only. */
  private readonly groupDirectory?: MesGroupDirectory;
  /**
   * For each remembered token's claims: its user, and the last principal accepted for it with
   * the status (and groups) it was accepted with. The warm path then hands out that same frozen
   * principal while nothing about the user changed, instead of building one per request.
   */
  private readonly accepted = new WeakMap<
    AimTokenClaims,
    {
      user: TokenUser;
      status?: MesUserStatus;
      groups?: readonly number[];
      principal?: MesPrincipal;
    }
  >();

  constructor(
    private readonly verifier: AimTokenVerifier,
    private readonly directory: MesUserDirectory,
    groups: MesGroupDirectory,
  ) {
    super(() => verifier.realm);
    if (directory.options.securityMode === 'os-group') this.groupDirectory = groups;
  }

  async validate(token: string): Promise<BearerVerdict> {
    const claims = await this.verifier.verify(token);
    const user = this.userOf(claims);
    if (Array.isArray(user)) return user;
    if (this.groupDirectory === undefined) {
      return this.verdict(user, await this.directory.status(user.userId));
    }
    const sids = this.groupDirectory.sidsOf(claims);
    if (sids === undefined) throw this.noGroupClaim(user.userId);
    const [groups, status] = await Promise.all([
      this.groupDirectory.groupsOf(sids),
      this.directory.status(user.userId),
    ]);
    if (groups.length === 0) throw this.noMesGroup(user.userId);
    return this.verdict(
      user,
      status === 'unknown' ? await this.directory.provision(user.userId) : status,
      groups,
    );
  }

  /**
   * `validate` without waiting, for a remembered token of a user whose status (and, in OS Group
   * mode, whose groups) are cached. A user still to be created takes the waiting path.
   */
  protected override verdictNow(token: string): BearerVerdict | undefined {
    const claims = this.verifier.remembered(token);
    if (claims === undefined) return undefined;
    let known = this.accepted.get(claims);
    if (known === undefined) {
      const user = this.userOf(claims);
      if (Array.isArray(user)) return user;
      known = { user };
      this.accepted.set(claims, known);
    }
    const userId = known.user.userId;
    let groups: readonly number[] | undefined;
    if (this.groupDirectory !== undefined) {
      groups = this.knownGroups(claims);
      if (groups === undefined || groups.length === 0) return undefined;
    }
    const status = this.directory.knownStatus(userId);
    if (status === undefined || (groups !== undefined && status === 'unknown')) return undefined;
    if (known.principal !== undefined && known.status === status && known.groups === groups) {
      return known.principal;
    }
    const principal = this.verdict(known.user, status, groups);
    known.status = status;
    known.groups = groups;
    known.principal = principal;
    return principal;
  }

  /** OS Group mode: the cached groups of the token's SIDs, if known without waiting. */
  private knownGroups(claims: AimTokenClaims): readonly number[] | undefined {
    const sids: GroupSids | undefined = this.groupDirectory?.sidsOf(claims);
    return sids === undefined ? undefined : this.groupDirectory?.knownGroups(sids);
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

  private verdict(
    { userId, clientId }: TokenUser,
    status: MesUserStatus,
    groups?: readonly number[],
  ): MesPrincipal {
    switch (status) {
      case 'active':
        if (groups !== undefined) {
          return Object.freeze(
            clientId === undefined
              ? { userId, mode: 'user', groups }
              : { userId, mode: 'user', groups, clientId },
          );
        }
        return Object.freeze(
          clientId === undefined ? { userId, mode: 'user' } : { userId, mode: 'user', clientId },
        );
      case 'inactive':
        throw new MesError(MesErrorCode.UserInactive, `The MES user "${userId}" is not active.`);
      case 'unknown':
        throw new MesError(MesErrorCode.UserNotFound, `"${userId}" is not an MES user.`);
    }
  }

  /** 403: no MES group matches (the SIDs are never echoed). */
  private noMesGroup(userId: string): MesError {
    return new MesError(
      MesErrorCode.NoMesGroup,
      `No MES group matches the groups of "${userId}": none of the user's AD groups is configured as an MES group.`,
    );
  }

  /** 403: the token carries no group claim, so no MES group can match. */
  private noGroupClaim(userId: string): MesError {
    return new MesError(
      MesErrorCode.NoMesGroup,
      `No MES group matches the groups of "${userId}": the access token carries no group claim ("${this.directory.options.groupClaim}").`,
    );
  }
}
