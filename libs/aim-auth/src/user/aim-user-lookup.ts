import { Injectable } from '@nestjs/common';
import { MesUsersService } from '@mes-web-api/mes-users';

/** What the user lookup says about the user a token names. */
export type AimUserStatus = 'active' | 'inactive' | 'unknown';

/**
 * Answers "may the user this token names use the API?" for the user strategy. Injection token
 * and base class; the default (`MesUserLookup`) checks `user_name` in the MES database. An app
 * whose users are elsewhere replaces it with `AimUserAuthModule.forRoot({ users: MyLookup })`;
 * answers are cached by the module (`userCacheTtlMs`), failures are not.
 */
export abstract class AimUserLookup {
  /** Ids longer than this are `unknown` without a lookup. */
  readonly maxUserIdLength: number = Number.POSITIVE_INFINITY;

  /** `active` lets the token in; `inactive` and `unknown` are 403. Throw on an outage. */
  abstract status(userId: string): Promise<AimUserStatus>;

  /**
   * OS Group mode (`securityMode: 'os-group'`) only: creates the user the token's groups let in
   * at its first call, once, even when it was created meanwhile elsewhere.
   */
  provision?(userId: string): Promise<void>;
}

/** nvarchar(40): a longer name can never be an MES user id. */
const MES_USER_ID_MAX_LENGTH = 40;

/** The MES check: the user must exist in `user_name` with `active = 1`. */
@Injectable()
export class MesUserLookup extends AimUserLookup {
  override readonly maxUserIdLength = MES_USER_ID_MAX_LENGTH;

  constructor(private readonly users: MesUsersService) {
    super();
  }

  async status(userId: string): Promise<AimUserStatus> {
    if (await this.users.findActiveUser(userId)) return 'active';
    return (await this.users.findUser(userId)) ? 'inactive' : 'unknown';
  }

  /** Inserts the user (active, `auth_method` 2) unless it exists. */
  override async provision(userId: string): Promise<void> {
    await this.users.createGroupUser(userId);
  }
}
