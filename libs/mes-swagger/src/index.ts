export {
  MES_METHOD_KEY,
  BEARER_SECURITY_SCHEME,
  AIM_SECURITY_SCHEME,
  DEFAULT_OAUTH_SCOPES,
  EXCLUDE_FILE_ENV,
  EXCLUDED_EXTENSION,
  MES_METHOD_EXTENSION,
  MES_GENERIC_EXTENSION,
  MES_GENERIC_KEY,
  MES_METHOD_NAME_PATTERN,
  isMesMethodName,
} from './mes-swagger.constants';
export {
  MesMethod,
  MesGenericEndpoint,
  isMesGenericEndpoint,
  type MesMethodOptions,
  getMesMethod,
} from './decorators/mes-method.decorator';
export {
  builtInExclusions,
  loadExclusions,
  mergeExclusions,
  parseExclusionFile,
  ExclusionFileError,
  type ExcludedMethod,
  type ExclusionFileContent,
  type ExclusionReason,
  type LoadExclusionsOptions,
  type MesExclusions,
} from './exclusions/exclusions';
export {
  buildMesSwaggerDocument,
  type MesSwaggerAuthority,
  type MesSwaggerDocumentOptions,
} from './document/build-document';
export {
  filterExcludedOperations,
  mesMethodOf,
  type ExcludedExtensionEntry,
  type FilterExcludedResult,
  type RemovedOperation,
} from './document/filter-excluded';
export {
  listMesRoutes,
  findMesMethodProblems,
  assertEveryOperationHasUniqueMesMethod,
  type MesRoute,
  type MesMethodCheckOptions,
} from './document/mes-routes';
export { canonicalDocument, stableStringify, toStableYaml } from './document/stable-stringify';
export {
  setupMesSwaggerUi,
  type MesSwaggerUiOptions,
  type MesSwaggerUiPaths,
} from './ui/setup-swagger-ui';
export {
  generateSwaggerFile,
  createMesSwaggerDocument,
  swaggerFileFormat,
  type GenerateSwaggerFileOptions,
  type GenerateSwaggerFileResult,
  type SwaggerFileFormat,
} from './cli/generate-swagger-file';
