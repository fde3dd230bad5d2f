import type { OpenAPIObject } from '@nestjs/swagger';
import type { MesMethodRegistry } from '../registry/mes-method-registry';
import type { HttpVerb } from '../registry/mes-method';
import { mesMethodSchemas } from './mes-method-schemas';

type Operation = Record<string, unknown> & {
  operationId?: string;
  tags?: string[];
  parameters?: Array<Record<string, unknown>>;
};
type Document = { paths: Record<string, Record<string, unknown>> };

/** MiddlewareAccess's verb for a method: its own, but PATCH (UpdateSpecific) is a PUT there. */
export function middlewareAccessVerb(verb: HttpVerb): Exclude<HttpVerb, 'PATCH'> {
  return verb === 'PATCH' ? 'PUT' : verb;
}

/** The Swagger path of a route (`:attrId` → `{attrId}`) under the global prefix. */
function documentPath(prefix: string, path: string): string {
  const joined = [prefix, path]
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter((p) => p !== '')
    .join('/');
  return `/${joined}`.replace(/:([A-Za-z]\w*)/g, '{$1}');
}

/**
 * Adds one MiddlewareAccess operation per registered method, as the model-driven MES Swagger file
 * has them: path `…/api/v3/MiddlewareAccess/<Obj>.<Cmd>`, operationId
 * `V3_MiddlewareAccess_<Obj>_<Cmd>`, tag `V3_<Obj>`, the parameters, body and answers of the
 * method's own route (its path parameters become query parameters), and `x-mes-method` naming the
 * MES method, by which the exclusion lists remove it too. Call it on the built document, before
 * the excluded methods are filtered out.
 */
export function addMiddlewareAccessOperations(
  document: Document,
  registry: MesMethodRegistry,
  globalPrefix: string,
): void {
  for (const method of registry.methods) {
    const definition = method.definition;
    const source = document.paths[documentPath(globalPrefix, definition.path)]?.[
      definition.verb.toLowerCase()
    ] as Operation | undefined;
    if (source === undefined) {
      throw new Error(
        `addMiddlewareAccessOperations: no operation for ${method.name} in the document.`,
      );
    }
    const operation = structuredClone(source);
    operation.operationId = `V3_MiddlewareAccess_${method.object}_${method.command}`;
    operation.tags = [`V3_${method.object}`];
    operation['x-mes-method'] = method.name;
    operation.summary = `${method.objectCommand} through MiddlewareAccess: ${typeof source.summary === 'string' ? source.summary : method.name}`;
    operation.parameters = (operation.parameters ?? []).map((parameter) =>
      parameter.in === 'path' ? { ...parameter, in: 'query' } : parameter,
    );
    const path = documentPath(globalPrefix, `api/v3/MiddlewareAccess/${method.objectCommand}`);
    const item = (document.paths[path] ??= {});
    item[middlewareAccessVerb(definition.verb).toLowerCase()] = operation;
  }
}

/**
 * The Swagger extension of a registry (`extend` of the mes-swagger document options): the models
 * and bodies the routes refer to, and one MiddlewareAccess operation per method.
 */
export function mesMethodsDocument(
  registry: MesMethodRegistry,
  globalPrefix: string,
): (document: OpenAPIObject) => void {
  return (document) => {
    const components = (document.components ??= {});
    components.schemas = {
      ...(components.schemas ?? {}),
      ...(mesMethodSchemas(registry) as NonNullable<typeof components.schemas>),
    };
    addMiddlewareAccessOperations(document as unknown as Document, registry, globalPrefix);
  };
}
