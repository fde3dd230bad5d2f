export { MesMethodsModule, type MesMethodsModuleOptions } from './mes-methods.module';
export {
  defineMethods,
  one,
  list,
  none,
  oneOrList,
  CompiledMesMethod,
  type MesMethodDefinition,
  type AnyMesMethodDefinition,
  type MesCall,
  type MesInput,
  type MesResult,
  type MesPrivilegeRequirement,
  type HttpVerb,
} from './registry/mes-method';
export { MesMethodRegistry } from './registry/mes-method-registry';
export {
  MesMethodExecutor,
  type MesAnswer,
  type MesRawInput,
  type MesPrivilegeCheck,
} from './http/mes-method-executor';
export { MiddlewareAccessController } from './http/middleware-access.controller';
export {
  MesAnswerWriter,
  ApiCommonParameters,
  principalOf,
  type MesHttpRequest,
} from './http/mes-method-controllers';
export {
  parseCommonOptions,
  COMMON_PARAMETERS,
  MAX_ROWS_LIMIT,
  type MesCommonOptions,
} from './http/common-options';
export { p, Param, ObjectInput, type Shape, type InputOf, type InputSource } from './schema/input';
export {
  INT_MAX,
  INVALID,
  MES_ID_PATTERN,
  MES_ID_RULE,
  USER_ID_PATTERN,
  USER_ID_RULE,
  FREE_TEXT_PATTERN,
  intRule,
  numberRule,
  boolRule,
  stringRule,
  mesIdRule,
  userIdRule,
  textRule,
  dateTimeRule,
  type ParamRule,
  type JsonSchema,
} from './schema/params';
export { o, Out, Model, model } from './schema/model';
export { resolveTimeZone, localIso, zoneOffsetMs } from './schema/time-zones';
export { mesMethodSchemas, schemaRef, PROBLEM_SCHEMA_NAME } from './swagger/mes-method-schemas';
export {
  addMiddlewareAccessOperations,
  mesMethodsDocument,
  middlewareAccessVerb,
} from './swagger/middleware-access-operations';
export {
  MES_METHOD_SERVICES,
  MES_PRIVILEGE_CHECK,
  JSON_CONTENT_TYPE,
} from './mes-methods.constants';
