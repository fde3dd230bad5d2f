import { MesPrincipal } from '@mes/common';
import { EntityAccessService, JobActor } from '@mes/mes-plant';
import { MesPrivilege } from '@mes/mes-users';

/** The caller as a job actor; writes first need the run-jobs privilege (else 403). */
export async function runJobsActor(
  access: EntityAccessService,
  caller: MesPrincipal,
): Promise<JobActor> {
  await access.requirePrivilege(caller.userId, MesPrivilege.RunJobs);
  return readActor(access, caller);
}

/** The caller as a job reader: entity access through its groups (grp_ent_link.accss). */
export function readActor(access: EntityAccessService, caller: MesPrincipal): JobActor {
  return {
    userId: caller.userId,
    canAccessEntity: (entId) => access.canAccess(caller.userId, entId),
  };
}
