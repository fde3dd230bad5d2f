import { Controller, Delete, Get, HttpCode, Patch, Post, Put, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  ApiBody,
  ApiExcludeEndpoint,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { MesError, MesErrorCode } from '@mes-web-api/common';
import { MesGenericEndpoint } from '@mes-web-api/mes-swagger';
import { CompiledMesMethod } from '../registry/mes-method';
import { COMMON_PARAMETERS, parseCommonOptions } from './common-options';
import { MesAnswer, MesMethodExecutor, MesRawInput, unknownCommand } from './mes-method-executor';
import { MesAnswerWriter, MesHttpRequest, principalOf } from './mes-method-controllers';
import { schemaRef, PROBLEM_SCHEMA_NAME } from '../swagger/mes-method-schemas';

type Bag = Record<string, unknown>;

const OBJECT_COMMAND = /^([A-Za-z][A-Za-z0-9]*)\.([A-Za-z][A-Za-z0-9]*)$/;
const MAX_BATCH = 100;

function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(detail: string): MesError {
  return MesError.validation(detail, [detail]);
}

/** A method's members split by where the method reads them, from one bag of JSON values. */
function splitMembers(method: CompiledMesMethod, values: Bag): MesRawInput {
  const query: Bag = {};
  const params: Bag = {};
  const body: Bag = {};
  for (const [name, value] of Object.entries(values)) {
    if (method.params.has(name)) params[name] = value;
    else if (method.query.has(name) || COMMON_PARAMETERS.has(name) || method.body === undefined) {
      query[name] = value;
    } else body[name] = value;
  }
  return { query, params, body: method.body === undefined ? undefined : body, jsonValues: true };
}

/** `parms`: an object of name/value pairs, or a list of one-member objects (as MES clients send). */
function parmsBag(parms: unknown): Bag {
  if (parms === undefined || parms === null) return {};
  if (isBag(parms)) return parms;
  if (!Array.isArray(parms)) {
    throw bad(
      'parms must be a JSON object of name/value pairs or an array of {"name": value} objects.',
    );
  }
  const merged: Bag = {};
  for (const entry of parms) {
    if (!isBag(entry)) throw bad('every entry of parms must be an object like {"name": value}.');
    for (const [name, value] of Object.entries(entry)) {
      if (Object.prototype.hasOwnProperty.call(merged, name)) {
        throw bad(`parms names ${name} twice.`);
      }
      merged[name] = value;
    }
  }
  return merged;
}

/**
 * MiddlewareAccess: any registered MES method by its MES object and command, as model-driven
 * workflow content calls them (SPEC section 8):
 * - `GET|DELETE api/v3/MiddlewareAccess/{object.command}` with the parameters in the query string,
 *   `POST|PUT|PATCH …/{object.command}` with the JSON model as the body;
 * - `GET api/v3/MiddlewareAccess?obj=&cmd=&parms={json}`;
 * - `POST api/v3/MiddlewareAccess` with `{obj, cmd, parms}` or a batch `{cmds: […]}` (one
 *   database transaction: all or nothing).
 * Every call runs through the executor, exactly like the method's own route: same validation,
 * privileges, entity access, stamps, status codes and problem bodies. Object and command are
 * case-insensitive. Methods left out of the Swagger file stay callable here.
 */
@ApiTags('MiddlewareAccess')
@Controller('api/v3/MiddlewareAccess')
export class MiddlewareAccessController {
  private readonly writer: MesAnswerWriter;

  constructor(
    private readonly executor: MesMethodExecutor,
    adapterHost: HttpAdapterHost,
  ) {
    this.writer = new MesAnswerWriter(adapterHost);
  }

  @Get(':command')
  @ApiExcludeEndpoint()
  @MesGenericEndpoint()
  async get(@Req() request: MesHttpRequest, @Res() response: unknown): Promise<void> {
    this.writer.send(response, await this.byCommand(request));
  }

  @Delete(':command')
  @ApiExcludeEndpoint()
  @MesGenericEndpoint()
  async delete(@Req() request: MesHttpRequest, @Res() response: unknown): Promise<void> {
    this.writer.send(response, await this.byCommand(request));
  }

  @Post(':command')
  @ApiExcludeEndpoint()
  @MesGenericEndpoint()
  async post(@Req() request: MesHttpRequest, @Res() response: unknown): Promise<void> {
    this.writer.send(response, await this.byCommand(request));
  }

  @Put(':command')
  @ApiExcludeEndpoint()
  @MesGenericEndpoint()
  async put(@Req() request: MesHttpRequest, @Res() response: unknown): Promise<void> {
    this.writer.send(response, await this.byCommand(request));
  }

  @Patch(':command')
  @ApiExcludeEndpoint()
  @MesGenericEndpoint()
  async patch(@Req() request: MesHttpRequest, @Res() response: unknown): Promise<void> {
    this.writer.send(response, await this.byCommand(request));
  }

  @Get()
  @MesGenericEndpoint()
  @ApiOperation({
    operationId: 'V3_MiddlewareAccess_Get',
    summary: 'Any MES method by obj, cmd and parms (JSON)',
    description:
      'e.g. ?obj=ent&cmd=GetByKey&parms={"entId":5}. parms is a JSON object of parameters, or an array of {"name": value} objects. Answers as the method does.',
  })
  @ApiQuery({ name: 'obj', required: true, schema: { type: 'string', example: 'ent' } })
  @ApiQuery({ name: 'cmd', required: true, schema: { type: 'string', example: 'GetAll' } })
  @ApiQuery({ name: 'parms', required: false, schema: { type: 'string', example: '{"entId":5}' } })
  @ApiResponse({ status: 200, description: 'The method’s answer.' })
  @ApiResponse({
    status: 404,
    description: 'Unknown object or command.',
    schema: schemaRef(PROBLEM_SCHEMA_NAME),
  })
  async legacyGet(@Req() request: MesHttpRequest, @Res() response: unknown): Promise<void> {
    const query = isBag(request.query) ? request.query : {};
    const allowed = new Set(['obj', 'cmd', 'parms', ...COMMON_PARAMETERS]);
    for (const key of Object.keys(query)) {
      if (!allowed.has(key)) throw bad(`property ${key} should not exist`);
    }
    const text = (name: string): string => {
      const value = query[name];
      if (typeof value !== 'string' || value.trim() === '') {
        throw new MesError(
          MesErrorCode.RouteNotFound,
          `The required parameter ${name} is missing.`,
        );
      }
      return value.trim();
    };
    const method = this.find(text('obj'), text('cmd'));
    let parms: unknown;
    if (query.parms !== undefined) {
      if (typeof query.parms !== 'string') throw bad('parms must be given once.');
      try {
        parms = JSON.parse(query.parms) as unknown;
      } catch {
        throw bad('parms is not valid JSON.');
      }
    }
    const options = parseCommonOptions(request.headers, query);
    const answer = await this.executor.run(
      method,
      principalOf(request),
      splitMembers(method, parmsBag(parms)),
      options,
    );
    this.writer.send(response, answer);
  }

  @Post()
  @HttpCode(200)
  @MesGenericEndpoint()
  @ApiOperation({
    operationId: 'V3_MiddlewareAccess_Post',
    summary: 'MES methods by {obj, cmd, parms}, or a batch {cmds: […]} in one transaction',
    description:
      'Answers a JSON array: one entry per command (its answer, or null when it answers nothing). A batch is all or nothing: a failure names the command (failed_command, 1-based) and nothing is written.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        obj: { type: 'string', example: 'ent' },
        cmd: { type: 'string', example: 'Add' },
        parms: { type: 'array', items: { type: 'object' }, example: [{ ent_name: 'Roaster' }] },
        cmds: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              obj: { type: 'string' },
              cmd: { type: 'string' },
              parms: { type: 'array', items: { type: 'object' } },
            },
          },
        },
      },
    },
  })
  @ApiResponse({ status: 200, description: 'One answer per command.' })
  @ApiResponse({
    status: 404,
    description: 'Unknown object or command.',
    schema: schemaRef(PROBLEM_SCHEMA_NAME),
  })
  async legacyPost(@Req() request: MesHttpRequest, @Res() response: unknown): Promise<void> {
    const body = request.body;
    if (!isBag(body))
      throw bad('The body must be a JSON object: {"obj", "cmd", "parms"} or {"cmds": [...]}.');
    const batch = body.cmds !== undefined;
    const entries: unknown[] = batch ? (Array.isArray(body.cmds) ? body.cmds : []) : [body];
    if (batch) {
      for (const key of Object.keys(body)) {
        if (key !== 'cmds') throw bad(`property ${key} should not exist beside cmds`);
      }
      if (!Array.isArray(body.cmds) || entries.length === 0 || entries.length > MAX_BATCH) {
        throw bad(`cmds must be an array of 1 to ${MAX_BATCH} commands.`);
      }
    }
    const commands = entries.map((entry, index) => {
      const where = batch ? `cmds[${index}]` : 'the body';
      if (!isBag(entry)) throw bad(`${where} must be an object {"obj", "cmd", "parms"}.`);
      for (const key of Object.keys(entry)) {
        if (key !== 'obj' && key !== 'cmd' && key !== 'parms') {
          throw bad(`property ${key} should not exist in ${where}`);
        }
      }
      if (typeof entry.obj !== 'string' || typeof entry.cmd !== 'string') {
        throw bad(`${where} needs obj and cmd as strings.`);
      }
      const method = this.find(entry.obj.trim(), entry.cmd.trim());
      return { method, raw: splitMembers(method, parmsBag(entry.parms)) };
    });
    const query = isBag(request.query) ? request.query : {};
    const answer = await this.executor.runBatch(
      commands,
      principalOf(request),
      parseCommonOptions(request.headers, query),
    );
    this.writer.send(response, answer);
  }

  /** `…/MiddlewareAccess/{object.command}`: the parameters from the query, or the JSON body. */
  private byCommand(request: MesHttpRequest): Promise<MesAnswer> {
    const param = (request.params as Bag | undefined)?.command;
    const spelled = typeof param === 'string' ? param : '';
    const match = OBJECT_COMMAND.exec(spelled);
    if (!match) {
      throw unknownCommand(
        `MiddlewareAccess needs an MES object and command such as ent.GetAll; ${JSON.stringify(spelled.slice(0, 80))} is not one.`,
      );
    }
    const method = this.find(match[1], match[2]);
    const query = isBag(request.query) ? request.query : {};
    const options = parseCommonOptions(request.headers, query);
    const principal = principalOf(request);
    if (method.body === undefined && isBag(request.body)) {
      // A method without a body model called with a JSON object: its members are the parameters.
      return this.executor.run(method, principal, splitMembers(method, request.body), options);
    }
    const own: Bag = {};
    const params: Bag = {};
    for (const [name, value] of Object.entries(query)) {
      if (method.params.has(name)) params[name] = value;
      else own[name] = value;
    }
    return this.executor.run(
      method,
      principal,
      { query: own, params, body: request.body },
      options,
    );
  }

  private find(object: string, command: string): CompiledMesMethod {
    const method = this.executor.registry.find(object, command);
    if (method !== undefined) return method;
    if (!this.executor.registry.hasObject(object)) {
      throw unknownCommand(
        `The MES object ${JSON.stringify(object.slice(0, 80))} is unknown to this API.`,
      );
    }
    throw unknownCommand(
      `The MES object ${JSON.stringify(object)} has no command ${JSON.stringify(command.slice(0, 80))} in this API.`,
    );
  }
}
