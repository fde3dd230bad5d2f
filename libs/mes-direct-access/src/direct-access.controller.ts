import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MesError, MesErrorCode } from '@mes-web-api/common';
import {
  MesAnswer,
  MesAnswerWriter,
  MesHttpRequest,
  parseCommonOptions,
  PROBLEM_SCHEMA_NAME,
  principalOf,
  schemaRef,
} from '@mes-web-api/mes-methods';
import { MesGenericEndpoint } from '@mes-web-api/mes-swagger';
import {
  fingerprintOf,
  IDEMPOTENT_REPLAYED_HEADER,
  MesIdempotency,
} from '@mes-web-api/mes-transactions';
import { DirectAccessResult, DirectAccessService } from './direct-access.service';

type Bag = Record<string, unknown>;

const QUERY_NAMES = new Set(['spName', 'spParams', 'max_rows', 'tz_id', 'trans_id']);

function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(detail: string): MesError {
  return MesError.validation(detail, [detail]);
}

/** `spName`: required (404 when missing, as every required parameter), given once. */
function procedureName(query: Bag): string {
  for (const key of Object.keys(query)) {
    if (!QUERY_NAMES.has(key)) throw bad(`property ${key} should not exist`);
  }
  const name = query.spName;
  if (name === undefined || name === '') {
    throw new MesError(MesErrorCode.RouteNotFound, 'The required parameter spName is missing.');
  }
  if (typeof name !== 'string') throw bad('spName must be given once.');
  return name.trim();
}

/** The JSON text of kept (frozen) rows, written once while they are kept. */
const keptTexts = new WeakMap<readonly object[], string>();

function rowsText(rows: readonly object[]): string {
  let text = keptTexts.get(rows);
  if (text === undefined) {
    text = JSON.stringify(rows);
    if (Object.isFrozen(rows)) keptTexts.set(rows, text);
  }
  return text;
}

function answer(result: DirectAccessResult): MesAnswer {
  if (result.kind === 'rows') return { status: 200, body: rowsText(result.rows) };
  // A spread, not Object.assign: an output column may be named anything (`__proto__` too) and
  // must stay an own member; a DirectAccess POST is a write, where 1 µs does not count.
  // eslint-disable-next-line no-restricted-syntax
  return { status: 200, body: JSON.stringify({ ...result.output, result: result.result }) };
}

const DESCRIPTION =
  'Raw database access: needs the "Direct database access" privilege. SQL Server: a procedure of the MES database (EXEC, parameters bound by name with their catalog types; SESSION_CONTEXT(N\'mes_user_id\') is the acting MES user). SQLite: a procedure file of DIRECT_ACCESS_DIR. Only names allowed by DIRECT_ACCESS_ALLOW.';

/**
 * DirectAccess (V3 `api/v3/DirectAccess`, V1 `api/DirectAccess`): `GET ?spName=&spParams={json}`
 * answers the procedure's rows (`max_rows` applies); `POST ?spName=` with a JSON object body (the
 * parameters, names without `@`) answers `{ result, …output values }`. `trans_id` runs it in an
 * MES transaction.
 */
@ApiTags('DirectAccess')
@Controller()
export class DirectAccessController {
  private readonly writer: MesAnswerWriter;

  constructor(
    private readonly directAccess: DirectAccessService,
    private readonly idempotency: MesIdempotency,
    adapterHost: HttpAdapterHost,
  ) {
    this.writer = new MesAnswerWriter(adapterHost);
  }

  @Get('api/v3/DirectAccess')
  @MesGenericEndpoint()
  @ApiOperation({
    operationId: 'V3_DirectAccess_Get',
    summary: 'Run a read procedure: its rows',
    description: DESCRIPTION,
  })
  @ApiQuery({
    name: 'spName',
    required: true,
    schema: { type: 'string', example: 'sp_SA_job_queue' },
  })
  @ApiQuery({
    name: 'spParams',
    required: false,
    schema: { type: 'string', example: '{"ent_id": 5}' },
  })
  @ApiQuery({ name: 'max_rows', required: false, schema: { type: 'integer' } })
  @ApiQuery({ name: 'trans_id', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiResponse({ status: 200, description: 'The rows, as objects keyed by column name.' })
  @ApiResponse({
    status: 403,
    description: 'No "Direct database access" privilege.',
    schema: schemaRef(PROBLEM_SCHEMA_NAME),
  })
  @ApiResponse({
    status: 404,
    description: 'Unknown or not allowed procedure; missing parameter.',
    schema: schemaRef(PROBLEM_SCHEMA_NAME),
  })
  async get(@Req() request: MesHttpRequest, @Res() response: unknown): Promise<void> {
    this.writer.send(response, await this.read(request));
  }

  @Get('api/DirectAccess')
  @MesGenericEndpoint()
  @ApiOperation({
    operationId: 'V1_DirectAccess_Get',
    summary: 'Run a read procedure (V1 route)',
    description: DESCRIPTION,
  })
  @ApiQuery({ name: 'spName', required: true, schema: { type: 'string' } })
  @ApiQuery({ name: 'spParams', required: false, schema: { type: 'string' } })
  async getV1(@Req() request: MesHttpRequest, @Res() response: unknown): Promise<void> {
    this.writer.send(response, await this.read(request));
  }

  @Post('api/v3/DirectAccess')
  @HttpCode(200)
  @MesGenericEndpoint()
  @ApiOperation({
    operationId: 'V3_DirectAccess_Post',
    summary: 'Run a procedure: result and output values',
    description: DESCRIPTION,
  })
  @ApiQuery({
    name: 'spName',
    required: true,
    schema: { type: 'string', example: 'sp_U_job_priority' },
  })
  @ApiQuery({ name: 'trans_id', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiBody({
    required: false,
    schema: { type: 'object', additionalProperties: true, example: { wo_id: 'WO-1001' } },
  })
  @ApiResponse({
    status: 200,
    description: '`result` (rows written, or the return value) and any output values.',
  })
  @ApiResponse({
    status: 409,
    description: 'The procedure refused (a constraint or a rule it raised): its database message.',
    schema: schemaRef(PROBLEM_SCHEMA_NAME),
  })
  async post(@Req() request: MesHttpRequest, @Res() response: unknown): Promise<void> {
    this.writer.send(response, await this.write(request));
  }

  @Post('api/DirectAccess')
  @HttpCode(200)
  @MesGenericEndpoint()
  @ApiOperation({
    operationId: 'V1_DirectAccess_Post',
    summary: 'Run a procedure (V1 route)',
    description: DESCRIPTION,
  })
  @ApiQuery({ name: 'spName', required: true, schema: { type: 'string' } })
  async postV1(@Req() request: MesHttpRequest, @Res() response: unknown): Promise<void> {
    this.writer.send(response, await this.write(request));
  }

  private async read(request: MesHttpRequest): Promise<MesAnswer> {
    const query = isBag(request.query) ? request.query : {};
    const name = procedureName(query);
    let params: Bag = {};
    if (query.spParams !== undefined) {
      if (typeof query.spParams !== 'string') throw bad('spParams must be given once.');
      let parsed: unknown;
      try {
        parsed = JSON.parse(query.spParams);
      } catch {
        throw bad('spParams is not valid JSON: give a JSON object of parameter names and values.');
      }
      if (!isBag(parsed))
        throw bad('spParams must be a JSON object of parameter names and values.');
      params = parsed;
    }
    const options = parseCommonOptions(request.headers, query);
    return answer(
      await this.directAccess.run({
        principal: principalOf(request),
        name,
        params,
        mode: 'read',
        maxRows: options.maxRows,
        transId: options.transId,
      }),
    );
  }

  private async write(request: MesHttpRequest): Promise<MesAnswer> {
    const query = isBag(request.query) ? request.query : {};
    const name = procedureName(query);
    if (query.spParams !== undefined)
      throw bad('POST takes the parameters as the JSON body, not spParams.');
    const body = request.body ?? {};
    if (!isBag(body)) throw bad('The body must be a JSON object of parameter names and values.');
    const options = parseCommonOptions(request.headers, query);
    const call = {
      principal: principalOf(request),
      name,
      params: body,
      mode: 'write' as const,
      transId: options.transId,
    };
    if (options.idempotencyKey === undefined) return answer(await this.directAccess.run(call));
    // Idempotency-Key: the procedure runs once per key; its answer is stored with its writes.
    const outcome = await this.idempotency.run(
      {
        key: options.idempotencyKey,
        principal: call.principal,
        transId: call.transId,
        fingerprint: fingerprintOf(['DirectAccess', name.toLowerCase(), body]),
      },
      async (context) => answer(await this.directAccess.runIn(context, call)),
    );
    return outcome.replayed
      ? {
          status: outcome.status,
          body: outcome.body,
          headers: { [IDEMPOTENT_REPLAYED_HEADER]: 'true' },
        }
      : { status: outcome.status, body: outcome.body };
  }
}
