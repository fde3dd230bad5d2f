/** Privilege ids (`priv.priv_id`) the API checks; the demo data grants them per group. */
export const MesPrivilege = {
  EditSystemAttributes: 1,
  EditMasterData: 2,
  RunJobs: 3,
} as const;
export type MesPrivilege = (typeof MesPrivilege)[keyof typeof MesPrivilege];

/** `system_attr.attr_id` of "User ID for background tasks" (the default background user). */
export const BACKGROUND_USER_ATTR_ID = 199;

/** Length of `system_attr.attr_value` (nvarchar(80)). */
export const SYSTEM_ATTR_VALUE_MAX_LENGTH = 80;
