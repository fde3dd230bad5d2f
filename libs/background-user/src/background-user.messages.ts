import { BACKGROUND_USER_ATTR_LABEL } from './background-user.constants';
import { BackgroundUserProblem } from './interfaces/background-user.interface';

/** The 403 detail for each way attribute 199 can be wrong: names the attribute and the fix. */
export function backgroundUserProblemMessage(
  problem: BackgroundUserProblem,
  userId: string | null,
): string {
  switch (problem) {
    case 'attribute-missing':
      return `${BACKGROUND_USER_ATTR_LABEL} is missing from System_Attr: add it with the MES user id that service calls should run as.`;
    case 'attribute-empty':
      return `${BACKGROUND_USER_ATTR_LABEL} is empty: set it to the user_id of an active MES user that service calls should run as.`;
    case 'user-unknown':
      return `${BACKGROUND_USER_ATTR_LABEL} names the MES user "${userId ?? ''}", which does not exist in user_name: create that user, or set attribute 199 to an existing, active MES user.`;
    case 'user-inactive':
      return `${BACKGROUND_USER_ATTR_LABEL} names the MES user "${userId ?? ''}", which is not active: reactivate that user, or set attribute 199 to an active MES user.`;
  }
}
