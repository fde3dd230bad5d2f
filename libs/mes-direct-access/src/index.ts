export { DirectAccessModule } from './direct-access.module';
export {
  DirectAccessService,
  type DirectAccessCall,
  type DirectAccessResult,
} from './direct-access.service';
export { DirectAccessController } from './direct-access.controller';
export {
  AllowList,
  DIRECT_ACCESS_OPTIONS,
  type DirectAccessModuleOptions,
} from './direct-access.options';
export {
  parseProcedureFile,
  loadProcedureDirectory,
  ProcedureFileError,
  MES_USER_PARAMETER,
  type ProcedureFile,
  type ProcedureParam,
} from './procedure-file';
export { procedureCatalog, paramKind, MssqlProcedure, MssqlCatalog } from './mssql-procedures';
