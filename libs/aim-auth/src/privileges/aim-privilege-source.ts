import { Injectable } from '@nestjs/common';
import { MesCaller } from '@mes-web-api/common';
import { MesUsersService } from '@mes-web-api/mes-users';

/**
 * Answers `@RequirePrivilege()`: whether a user holds a privilege. Injection token and base
 * class; the default (`MesPrivilegeSource`) reads the MES tables. Replace it with
 * `AimUserAuthModule.forRoot({ privileges: MyPrivileges })`.
 */
export abstract class AimPrivilegeSource {
  /**
   * Whether the caller (`userId`, and in OS Group mode the token's MES `groups`) holds privilege
   * `privId` with at least `minValue`. Throws on an outage.
   */
  abstract hasPrivilege(caller: MesCaller, privId: number, minValue: number): Promise<boolean>;
}

/**
 * The MES privileges: the highest `priv_value` any of the caller's groups grants (`grp_priv_link`;
 * the groups of `user_grp_link`, or the token's groups in OS Group mode).
 */
@Injectable()
export class MesPrivilegeSource extends AimPrivilegeSource {
  constructor(private readonly users: MesUsersService) {
    super();
  }

  hasPrivilege(caller: MesCaller, privId: number, minValue: number): Promise<boolean> {
    return this.users.hasPrivilege(caller, privId, minValue);
  }
}
