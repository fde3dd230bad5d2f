import { BackgroundUserService } from '@mes-web-api/background-user';
import {
  defineMethods,
  MesPrivilegeCheck,
  MesPrivilegeRequirement,
} from '@mes-web-api/mes-methods';
import {
  EntService,
  ItemService,
  JobsService,
  ProductionService,
  ShiftPatternService,
  ShiftScheduleService,
  WoService,
} from '@mes-web-api/mes-plant';
import {
  MesPrivilege,
  MesUsersService,
  SystemAttributesService,
  UserNameService,
} from '@mes-web-api/mes-users';

/** The services the MES method handlers use (one object, resolved once at start-up). */
export interface MesServices {
  readonly entities: EntService;
  readonly items: ItemService;
  readonly orders: WoService;
  readonly jobs: JobsService;
  readonly production: ProductionService;
  readonly schedules: ShiftScheduleService;
  readonly patterns: ShiftPatternService;
  readonly users: UserNameService;
  readonly attributes: SystemAttributesService;
  readonly backgroundUser: BackgroundUserService;
}

export const MES_SERVICE_TYPES = [
  EntService,
  ItemService,
  WoService,
  JobsService,
  ProductionService,
  ShiftScheduleService,
  ShiftPatternService,
  UserNameService,
  SystemAttributesService,
  BackgroundUserService,
] as const;

export function mesServices(
  entities: EntService,
  items: ItemService,
  orders: WoService,
  jobs: JobsService,
  production: ProductionService,
  schedules: ShiftScheduleService,
  patterns: ShiftPatternService,
  users: UserNameService,
  attributes: SystemAttributesService,
  backgroundUser: BackgroundUserService,
): MesServices {
  return {
    entities,
    items,
    orders,
    jobs,
    production,
    schedules,
    patterns,
    users,
    attributes,
    backgroundUser,
  };
}

/** `method({...})`: an MES method of this API, its handler typed against MesServices. */
export const method = defineMethods<MesServices>();

/** The privileges the API checks (`priv.priv_id`); the demo data grants them per group. */
export const Privileges = {
  editSystemAttributes: {
    id: MesPrivilege.EditSystemAttributes,
    name: 'edit system attributes',
  },
  editMasterData: { id: MesPrivilege.EditMasterData, name: 'edit master data' },
  runJobs: { id: MesPrivilege.RunJobs, name: 'run jobs' },
} as const satisfies Record<string, MesPrivilegeRequirement>;

/** The privilege check of the method registry: the caller's groups (`grp_priv_link`). */
export function privilegeCheck(users: MesUsersService): MesPrivilegeCheck {
  return {
    require: (context, caller, privilege) =>
      users.requirePrivilege(caller, privilege.id, privilege.name, context),
  };
}
