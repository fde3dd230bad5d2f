import { OpenAPIObject, OperationObject, PathItemObject } from '@nestjs/swagger';

export const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export type { OperationObject, PathItemObject };

/** Calls `fn` for every operation of the document, in path then verb order. */
export function forEachOperation(
  document: OpenAPIObject,
  fn: (path: string, verb: HttpMethod, operation: OperationObject, item: PathItemObject) => void,
): void {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const verb of HTTP_METHODS) {
      const operation = item[verb];
      if (operation) fn(path, verb, operation, item);
    }
  }
}
