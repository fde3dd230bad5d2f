import { Injectable } from '@nestjs/common';
import { MesUsersService } from '@mes-web-api/mes-users';

/**
 * Answers `@RequirePrivilege()`: whether a user holds a privilege. Injection token and base
 * class; the default (`MesPrivilegeSource`) reads the MES tables. Replace it with
 * `AimUserAuthModule.forRoot({ privileges: MyPrivileges })`.
 */
export abstract class AimPrivilegeSource {
  /** Whether `userId` holds privilege `privId` with at least `minValue`. Throws on an outage. */
  abstract hasPrivilege(userId: string, privId: number, minValue: number): Promise<boolean>;
}

/** The MES privileges: the highest `priv_value` any of the user's groups grants (`grp_priv_link`). */
@Injectable()
export class MesPrivilegeSource extends AimPrivilegeSource {
  constructor(private readonly users: MesUsersService) {
    super();
  }

  hasPrivilege(userId: string, privId: number, minValue: number): Promise<boolean> {
    return this.users.hasPrivilege(userId, privId, minValue);
  }
}
