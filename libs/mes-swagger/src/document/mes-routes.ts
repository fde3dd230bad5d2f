import { INestApplicationContext, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner } from '@nestjs/core';
import { OpenAPIObject } from '@nestjs/swagger';
import { getMesMethod, isMesGenericEndpoint } from '../decorators/mes-method.decorator';
import { compare } from '../exclusions/exclusions';
import {
  isMesMethodName,
  MES_GENERIC_EXTENSION,
  MES_METHOD_EXTENSION,
} from '../mes-swagger.constants';
import { mesMethodOf } from './filter-excluded';
import { forEachOperation } from './openapi-walk';

/** One route (or document operation) and its MES method name, if any. */
export interface MesRoute {
  verb: string;
  path: string;
  /** The MES method name, or null when the route has none. */
  mesMethod: string | null;
  /** `Controller.method` for app routes; the operationId for document operations. */
  handler: string;
  /** Serves many MES methods (MiddlewareAccess, DirectAccess, transactions): needs no name. */
  generic?: boolean;
  /** Another form of an MES method that has its own route (`x-mes-method`, e.g. MiddlewareAccess). */
  alternate?: boolean;
}

export interface MesMethodCheckOptions {
  /** Check only routes under this path prefix, e.g. `/mesmw/api` (case-insensitive). Default: every route. */
  pathPrefix?: string;
}

type Source = INestApplicationContext | OpenAPIObject | readonly MesRoute[];

interface ContainerLike {
  getModules(): Map<string, { controllers: Map<unknown, { metatype: unknown }> }>;
}

/**
 * Lists the routes of an app (from its controllers, including routes hidden from Swagger) or
 * the operations of a document (the operationId is the MES method name when shaped like one).
 */
export function listMesRoutes(source: INestApplicationContext | OpenAPIObject): MesRoute[] {
  const routes = isDocument(source) ? routesOfDocument(source) : routesOfApp(source);
  return routes.sort(
    (a, b) => compare(a.path, b.path) || compare(a.verb, b.verb) || compare(a.handler, b.handler),
  );
}

/**
 * Problems: routes without an MES method name and names used by more than one route (two
 * verbs or paths, even on one handler: operationIds must be unique in an OpenAPI document).
 */
export function findMesMethodProblems(
  source: Source,
  options: MesMethodCheckOptions = {},
): string[] {
  const all = Array.isArray(source)
    ? [...(source as readonly MesRoute[])]
    : listMesRoutes(source as OpenAPIObject);
  const prefix = options.pathPrefix
    ? `/${options.pathPrefix.replace(/^\/+/, '')}`.toLowerCase()
    : '';
  const routes = all.filter((r) => r.path.toLowerCase().startsWith(prefix) && !r.generic);
  const problems: string[] = [];
  const byName = new Map<string, MesRoute[]>();
  for (const route of routes) {
    if (!route.mesMethod) {
      problems.push(
        `${route.verb} ${route.path} (${route.handler}) has no MES method name: add @MesMethod('FactMES.API.<Area>.<Object>.<Action>').`,
      );
      continue;
    }
    if (route.alternate) continue;
    const key = route.mesMethod.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), route]);
  }
  for (const group of byName.values()) {
    const distinct = new Map(group.map((r) => [`${r.verb} ${r.path}`, r]));
    if (distinct.size > 1) {
      const where = [...distinct.values()]
        .map((r) => `${r.verb} ${r.path} (${r.handler})`)
        .join(', ');
      problems.push(
        `${group[0].mesMethod} names ${distinct.size} routes: ${where}; every MES method name must be unique.`,
      );
    }
  }
  return problems;
}

/**
 * Throws, listing every problem, if a route lacks an MES method name or two routes share one.
 * Call it from the app's tests with the built document (its operationIds are the MES names).
 */
export function assertEveryOperationHasUniqueMesMethod(
  source: Source,
  options: MesMethodCheckOptions = {},
): void {
  const problems = findMesMethodProblems(source, options);
  if (problems.length > 0) {
    throw new Error(`MES method names are missing or duplicated:\n- ${problems.join('\n- ')}`);
  }
}

function isDocument(source: INestApplicationContext | OpenAPIObject): source is OpenAPIObject {
  return (
    typeof (source as OpenAPIObject).openapi === 'string' &&
    typeof (source as OpenAPIObject).paths === 'object'
  );
}

function routesOfDocument(document: OpenAPIObject): MesRoute[] {
  const routes: MesRoute[] = [];
  forEachOperation(document, (path, verb, operation) => {
    const id = operation.operationId ?? '';
    const method = mesMethodOf(operation) ?? '';
    const extensions = operation as unknown as Record<string, unknown>;
    routes.push({
      verb: verb.toUpperCase(),
      path,
      mesMethod: isMesMethodName(method) ? method : null,
      handler: id || `${verb.toUpperCase()} ${path}`,
      ...(extensions[MES_GENERIC_EXTENSION] === true ? { generic: true } : {}),
      ...(typeof extensions[MES_METHOD_EXTENSION] === 'string' ? { alternate: true } : {}),
    });
  });
  return routes;
}

function routesOfApp(app: INestApplicationContext): MesRoute[] {
  const internals = app as unknown as {
    container?: ContainerLike;
    config?: { getGlobalPrefix?(): string };
  };
  if (!internals.container)
    throw new Error('listMesRoutes: expected a Nest application (created by NestFactory.create).');
  const prefix = internals.config?.getGlobalPrefix?.() ?? '';
  const scanner = new MetadataScanner();
  const routes: MesRoute[] = [];
  const seen = new Set<unknown>();
  for (const module of internals.container.getModules().values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype;
      if (typeof controller !== 'function' || seen.has(controller)) continue;
      seen.add(controller);
      const prototype = controller.prototype as Record<string, unknown>;
      const base = asList(Reflect.getMetadata(PATH_METADATA, controller));
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function') continue;
        const own = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
        const verb = Reflect.getMetadata(METHOD_METADATA, handler) as unknown;
        if (own === undefined || typeof verb !== 'number') continue;
        for (const b of base) {
          for (const p of asList(own)) {
            routes.push({
              verb: RequestMethod[verb] ?? String(verb),
              path: joinPath(prefix, b, p),
              mesMethod: getMesMethod(handler) ?? null,
              handler: `${controller.name}.${name}`,
              ...(isMesGenericEndpoint(handler) ? { generic: true } : {}),
            });
          }
        }
      }
    }
  }
  return routes;
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [typeof value === 'string' ? value : ''];
}

function joinPath(...parts: string[]): string {
  const joined = parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter((p) => p !== '')
    .join('/');
  return `/${joined}`;
}
