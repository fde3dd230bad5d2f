export { MesWebApiClientModule } from './web-api-client.module';
export {
  MES_WEB_API_CLIENT_OPTIONS_TYPE,
  MES_WEB_API_CLIENT_ASYNC_OPTIONS_TYPE,
} from './web-api-client.module-definition';
export { MES_WEB_API_CLIENT_OPTIONS } from './web-api-client.constants';
export { MesWebApiClient } from './mes-web-api-client';
export {
  WebApiDefinition,
  WebApiAuthenticationMode,
  WEB_API_DEFINITION_LABELS,
} from './definitions/web-api-definition';
export type {
  WebApiDefinitionInput,
  WebApiDefinitionParseOptions,
} from './definitions/web-api-definition';
export {
  loadWebApiDefinitions,
  loadWebApiDefinitionsSync,
  parseWebApiDefinitions,
  toWebApiDefinitions,
} from './definitions/definitions-loader';
export type { DefinitionsFormat } from './definitions/definitions-loader';
export { expandRoute, buildRequestUrl } from './http/route-template';
export type { RouteParams, RouteParamValue } from './http/route-template';
export type {
  MesWebApiClientOptions,
  MesWebApiClientLogger,
  MesWebApiRequestOptions,
  MesWebApiResponse,
  MesWebApiMethod,
} from './interfaces/mes-web-api-client-options.interface';
export type { MesWebApiClientErrorKind } from './errors/web-api-client.errors';
export {
  MesWebApiClientError,
  WebApiDefinitionError,
  MesWebApiUsageError,
  MesWebApiAuthError,
  MesWebApiError,
  MesWebApiNetworkError,
} from './errors/web-api-client.errors';
