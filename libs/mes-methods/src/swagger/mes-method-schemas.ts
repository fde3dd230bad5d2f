import type { JsonSchema } from '../schema/params';
import type { Model } from '../schema/model';
import type { MesMethodRegistry } from '../registry/mes-method-registry';

/** The error body of every answer (RFC 9457 problem details plus a stable `code`). */
export const PROBLEM_SCHEMA_NAME = 'Problem';

export function schemaRef(name: string): JsonSchema {
  return { $ref: `#/components/schemas/${name}` };
}

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details (content type application/problem+json).',
  properties: {
    type: { type: 'string', example: 'urn:mes-web-api:problem:entity_not_found' },
    title: { type: 'string', example: 'Not found' },
    status: { type: 'integer', example: 404 },
    detail: { type: 'string', example: 'The specified entity does not exist' },
    code: { type: 'string', example: 'ENTITY_NOT_FOUND' },
    instance: { type: 'string', example: '/mesmw/api/v3/entity/key' },
    errors: {
      type: 'array',
      items: { type: 'string' },
      description: 'One message per invalid parameter (400).',
    },
  },
  required: ['type', 'title', 'status', 'detail', 'code'],
};

/**
 * The component schemas the registry's routes refer to: every answer model (nested ones too),
 * every body model, and the problem body. Added to the Swagger file's `components.schemas`.
 */
export function mesMethodSchemas(registry: MesMethodRegistry): Record<string, JsonSchema> {
  const models = new Map<string, Model>();
  const schemas: Record<string, JsonSchema> = { [PROBLEM_SCHEMA_NAME]: PROBLEM_SCHEMA };
  for (const method of registry.methods) {
    const result = method.definition.result;
    if (result.kind !== 'none') result.model.modelsByName(models);
    if (method.body !== undefined) {
      const name = method.bodyName;
      const schema = method.body.schema();
      const existing = schemas[name];
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(schema)) {
        throw new Error(
          `Two different body models are named ${name}: set bodyName on ${method.name}.`,
        );
      }
      schemas[name] = schema;
    }
  }
  for (const [name, model] of models) {
    if (schemas[name] !== undefined) throw new Error(`The schema name ${name} is used twice.`);
    schemas[name] = model.schema();
  }
  return schemas;
}
