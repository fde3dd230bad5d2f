import { ENTITY_METHODS } from './entity.methods';
import { ITEM_METHODS } from './item.methods';
import { JOB_METHODS } from './jobs.methods';
import { SHIFT_METHODS } from './shifts.methods';
import { SYSTEM_ATTRIBUTE_METHODS, USER_METHODS } from './users.methods';
import { WO_METHODS } from './wo.methods';

/**
 * Every MES method this API implements, defined once: the V3/V1 routes, MiddlewareAccess and the
 * Swagger file all come from this list.
 */
export const MES_METHODS = [
  ...SYSTEM_ATTRIBUTE_METHODS,
  ...USER_METHODS,
  ...ENTITY_METHODS,
  ...ITEM_METHODS,
  ...WO_METHODS,
  ...JOB_METHODS,
  ...SHIFT_METHODS,
];

export {
  MesServices,
  mesServices,
  MES_SERVICE_TYPES,
  privilegeCheck,
  Privileges,
} from './mes-services';
