import { CustomDecorator, SetMetadata } from '@nestjs/common';
import { AIM_REQUIRED_PRIVILEGES } from '../aim-auth.constants';
import { AimPrivilegeRequirement } from '../interfaces/aim-route-access.interface';

function requirement(value: number | AimPrivilegeRequirement): AimPrivilegeRequirement {
  const req = typeof value === 'number' ? { id: value } : value;
  if (
    !Number.isInteger(req?.id) ||
    (req.minValue !== undefined && !Number.isFinite(req.minValue))
  ) {
    throw new TypeError(`@RequirePrivilege: ${JSON.stringify(value)} is not a privilege id.`);
  }
  return Object.freeze({ ...req });
}

/**
 * The user the request runs as (for a service token: the background user) must hold every one
 * of these MES privileges through one of its groups (`grp_priv_link`); else 403
 * `PRIVILEGE_MISSING` naming the privilege. On a controller and a handler, both lists apply.
 * Answered by the `AimPrivilegeSource` (default: the MES tables, through MesUsersService).
 */
export const RequirePrivilege = (
  privilege: number | AimPrivilegeRequirement,
  ...more: Array<number | AimPrivilegeRequirement>
): CustomDecorator<string> =>
  SetMetadata(AIM_REQUIRED_PRIVILEGES, Object.freeze([privilege, ...more].map(requirement)));
