import {
  applyDecorators,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Patch,
  Post,
  Put,
  Req,
  Res,
  Type,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiBody, ApiHeader, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MesError, MesErrorCode, MesPrincipal } from '@mes-web-api/common';
import { MesMethod } from '@mes-web-api/mes-swagger';
import { CompiledMesMethod, HttpVerb } from '../registry/mes-method';
import { MesMethodRegistry } from '../registry/mes-method-registry';
import { MAX_ROWS_LIMIT, parseCommonOptions } from './common-options';
import { MesAnswer, MesMethodExecutor } from './mes-method-executor';
import { JSON_CONTENT_TYPE } from '../mes-methods.constants';
import { schemaRef, PROBLEM_SCHEMA_NAME } from '../swagger/mes-method-schemas';

/** The request as a route handler reads it (fastify or express). */
export interface MesHttpRequest {
  headers: Record<string, string | string[] | undefined>;
  query?: unknown;
  params?: unknown;
  body?: unknown;
  mesUser?: MesPrincipal;
}

/** Sends an answer through whichever HTTP adapter the app runs on. */
export class MesAnswerWriter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  send(response: unknown, answer: MesAnswer): void {
    const adapter = this.adapterHost.httpAdapter;
    if (answer.headers !== undefined) {
      for (const [name, value] of Object.entries(answer.headers)) {
        adapter.setHeader(response, name, value);
      }
    }
    if (answer.body === undefined) {
      adapter.reply(response, undefined, answer.status);
      return;
    }
    adapter.setHeader(response, 'content-type', JSON_CONTENT_TYPE);
    adapter.reply(response, answer.body, answer.status);
  }
}

/** The principal the auth guard set; a route reached without one is a misconfiguration. */
export function principalOf(request: MesHttpRequest): MesPrincipal {
  const principal = request.mesUser;
  if (principal === undefined) {
    throw new MesError(
      MesErrorCode.Internal,
      'No MES user on the request: register the aim-auth guard (APP_GUARD) before MesMethodsModule routes.',
    );
  }
  return principal;
}

const VERB_DECORATORS: Record<HttpVerb, (path?: string) => MethodDecorator> = {
  GET: Get,
  POST: Post,
  PUT: Put,
  PATCH: Patch,
  DELETE: Delete,
};

/** Documents the common parameters a method reads (query or header; the header wins). */
export function ApiCommonParameters(reads: boolean, returnsRecord: boolean): MethodDecorator {
  const decorators: MethodDecorator[] = [
    ApiQuery({
      name: 'trans_id',
      required: false,
      schema: { type: 'string', format: 'uuid' },
      description: 'An open MES transaction to run in (also a header, which wins).',
    }),
    ApiHeader({ name: 'trans_id', required: false, schema: { type: 'string', format: 'uuid' } }),
  ];
  if (reads) {
    decorators.push(
      ApiQuery({
        name: 'max_rows',
        required: false,
        schema: { type: 'integer', minimum: 1, maximum: MAX_ROWS_LIMIT },
        description: `Row limit (1-${MAX_ROWS_LIMIT}); also a header, which wins.`,
      }),
      ApiHeader({ name: 'max_rows', required: false, schema: { type: 'integer' } }),
    );
  }
  if (reads || returnsRecord) {
    decorators.push(
      ApiQuery({
        name: 'tz_id',
        required: false,
        schema: { type: 'string' },
        description:
          'Time zone (IANA or Windows id) of the <col>_local values; also a header, which wins.',
      }),
      ApiHeader({ name: 'tz_id', required: false, schema: { type: 'string' } }),
    );
  }
  return applyDecorators(...decorators);
}

/** The Swagger decorators of one method's route. */
function documentation(method: CompiledMesMethod): MethodDecorator {
  const definition = method.definition;
  const decorators: MethodDecorator[] = [
    MesMethod(definition.name, {
      summary: definition.summary,
      description: definition.description,
    }),
  ];
  for (const [name, param] of method.params.members()) {
    decorators.push(ApiParam({ name, required: true, schema: param.schema() }));
  }
  for (const [name, param] of method.query.members()) {
    decorators.push(ApiQuery({ name, required: param.options.required, schema: param.schema() }));
  }
  const result = definition.result;
  decorators.push(ApiCommonParameters(definition.verb === 'GET', result.kind !== 'none'));
  if (method.body !== undefined) {
    decorators.push(ApiBody({ required: true, schema: schemaRef(method.bodyName) }));
  }
  if (result.kind === 'one') {
    decorators.push(
      ApiResponse({ status: 200, description: 'OK', schema: schemaRef(result.model.name) }),
    );
  } else if (result.kind === 'oneOrList') {
    decorators.push(
      ApiResponse({
        status: 200,
        description: 'One record, or the records (see the description).',
        schema: {
          oneOf: [
            schemaRef(result.model.name),
            { type: 'array', items: schemaRef(result.model.name) },
          ],
        },
      }),
      ApiResponse({ status: 204, description: 'No row matches.' }),
    );
  } else if (result.kind === 'list') {
    decorators.push(
      ApiResponse({
        status: 200,
        description: 'The rows.',
        schema: { type: 'array', items: schemaRef(result.model.name) },
      }),
      ApiResponse({ status: 204, description: 'No row matches.' }),
    );
  } else {
    decorators.push(ApiResponse({ status: 204, description: 'Done.' }));
  }
  const problem = schemaRef(PROBLEM_SCHEMA_NAME);
  decorators.push(
    ApiResponse({
      status: 400,
      description: 'A parameter or the body is not valid.',
      schema: problem,
    }),
    ApiResponse({
      status: 401,
      description: 'No token, or the token is not valid.',
      schema: problem,
    }),
    ApiResponse({
      status: 403,
      description:
        definition.privilege === undefined
          ? 'Not an active MES user (or the background user is not valid).'
          : `The caller lacks the privilege to ${definition.privilege.name}, or is not an active MES user.`,
      schema: problem,
    }),
    ApiResponse({
      status: 404,
      description:
        'The specified entity does not exist; you do not have the appropriate privileges to access this entity; a required parameter is missing; or the trans_id does not exist.',
      schema: problem,
    }),
  );
  if (definition.verb !== 'GET') {
    decorators.push(
      ApiResponse({
        status: 409,
        description: 'An MES rule refused the change (the MES message is in detail).',
        schema: problem,
      }),
    );
  }
  if (definition.verb === 'POST') decorators.push(HttpCode(200));
  return applyDecorators(...decorators);
}

function handlerName(method: CompiledMesMethod): string {
  return `${method.object}${method.command}`;
}

/**
 * The route controllers of the registry: one controller per tag, one handler per method, each
 * with its verb, path and Swagger description. Every handler runs its method through the
 * executor (the one request path) and sends the answer text as it is.
 */
export function mesMethodControllers(registry: MesMethodRegistry): Type[] {
  const byTag = new Map<string, CompiledMesMethod[]>();
  for (const method of registry.methods) {
    const tag = method.definition.tag;
    byTag.set(tag, [...(byTag.get(tag) ?? []), method]);
  }
  return [...byTag.entries()].map(([tag, methods]) => controllerFor(tag, methods));
}

function controllerFor(tag: string, methods: readonly CompiledMesMethod[]): Type {
  class MesMethodRoutes {
    readonly writer: MesAnswerWriter;
    constructor(
      readonly executor: MesMethodExecutor,
      adapterHost: HttpAdapterHost,
    ) {
      this.writer = new MesAnswerWriter(adapterHost);
    }
  }
  Inject(MesMethodExecutor)(MesMethodRoutes, undefined, 0);
  Inject(HttpAdapterHost)(MesMethodRoutes, undefined, 1);
  Object.defineProperty(MesMethodRoutes, 'name', {
    value: `${tag.replace(/[^A-Za-z0-9]/g, '')}MesMethodRoutes`,
  });
  for (const method of methods) {
    const key = handlerName(method);
    const handler = async function (
      this: MesMethodRoutes,
      request: MesHttpRequest,
      response: unknown,
    ): Promise<void> {
      const answer = await this.executor.run(
        method,
        principalOf(request),
        { query: request.query ?? {}, params: request.params ?? {}, body: request.body },
        parseCommonOptions(request.headers, (request.query ?? {}) as Record<string, unknown>),
      );
      this.writer.send(response, answer);
    };
    Object.defineProperty(handler, 'name', { value: key });
    Object.defineProperty(MesMethodRoutes.prototype, key, {
      value: handler,
      writable: true,
      configurable: true,
      enumerable: false,
    });
    const descriptor = Object.getOwnPropertyDescriptor(
      MesMethodRoutes.prototype,
      key,
    ) as PropertyDescriptor;
    Req()(MesMethodRoutes.prototype, key, 0);
    Res()(MesMethodRoutes.prototype, key, 1);
    VERB_DECORATORS[method.definition.verb](method.definition.path)(
      MesMethodRoutes.prototype,
      key,
      descriptor,
    );
    documentation(method)(MesMethodRoutes.prototype, key, descriptor);
  }
  Controller()(MesMethodRoutes);
  ApiTags(tag)(MesMethodRoutes);
  return MesMethodRoutes;
}
