import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiOAuth2, ApiOperation } from '@nestjs/swagger';
import {
  AIM_SECURITY_SCHEME,
  BEARER_SECURITY_SCHEME,
  isMesMethodName,
  MES_GENERIC_EXTENSION,
  MES_GENERIC_KEY,
  MES_METHOD_KEY,
  REQUIRED_SCOPES,
} from '../mes-swagger.constants';

export interface MesMethodOptions {
  /** One-line summary; defaults to the MES method name. */
  summary?: string;
  description?: string;
  /**
   * The route needs no token: no security requirement in the document. This only affects
   * the Swagger document; combine it with the auth lib's `@Public()` to open the route.
   */
  public?: boolean;
}

/**
 * Names a route with its MES method (e.g. `FactMES.API.Core.Ent.GetAll`). The name becomes
 * the operation's `operationId` in the Swagger document, which is how the exclusion lists
 * find it; unless `public`, the operation also requires an AIM bearer token (or OAuth2).
 * Throws when the class is loaded if the name is not shaped like `FactMES.API.X.Y.Z`.
 */
export function MesMethod(name: string, opts: MesMethodOptions = {}): MethodDecorator {
  if (!isMesMethodName(name)) {
    throw new Error(
      `@MesMethod(${JSON.stringify(name)}): an MES method name looks like FactMES.API.<Area>.<Object>.<Action>, e.g. FactMES.API.Core.Ent.GetAll.`,
    );
  }
  const decorators: Array<ClassDecorator | MethodDecorator | PropertyDecorator> = [
    SetMetadata(MES_METHOD_KEY, name),
    ApiOperation({
      operationId: name,
      summary: opts.summary ?? name,
      description: opts.description,
    }),
  ];
  if (!opts.public) {
    decorators.push(
      ApiBearerAuth(BEARER_SECURITY_SCHEME),
      ApiOAuth2([...REQUIRED_SCOPES], AIM_SECURITY_SCHEME),
    );
  }
  return applyDecorators(...decorators);
}

/** The MES method name of a route handler (the method function), if it has one. */
export function getMesMethod(handler: unknown): string | undefined {
  if (typeof handler !== 'function') return undefined;
  const name: unknown = Reflect.getMetadata(MES_METHOD_KEY, handler);
  return typeof name === 'string' ? name : undefined;
}

/**
 * Marks a route that serves many MES methods rather than one (MiddlewareAccess, DirectAccess,
 * transactions): the MES method name checks skip it. Also adds the bearer/OAuth2 security and
 * `x-mes-generic: true` to its operation.
 */
export function MesGenericEndpoint(): MethodDecorator {
  return applyDecorators(
    SetMetadata(MES_GENERIC_KEY, true),
    ApiExtension(MES_GENERIC_EXTENSION, true),
    ApiBearerAuth(BEARER_SECURITY_SCHEME),
    ApiOAuth2([...REQUIRED_SCOPES], AIM_SECURITY_SCHEME),
  );
}

/** Whether a route handler is marked with `@MesGenericEndpoint()`. */
export function isMesGenericEndpoint(handler: unknown): boolean {
  return typeof handler === 'function' && Reflect.getMetadata(MES_GENERIC_KEY, handler) === true;
}
