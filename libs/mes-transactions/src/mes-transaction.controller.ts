import { Controller, HttpCode, Post, Put, Req } from '@nestjs/common';
import {
  ApiHeader,
  ApiOperation,
  ApiProperty,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { isoUtc, MesError, MesErrorCode, MesPrincipal } from '@mes-web-api/common';
import { MesGenericEndpoint } from '@mes-web-api/mes-swagger';
import { MesTransactions } from './mes-transactions.service';

interface TransactionRequest {
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  mesUser?: MesPrincipal;
}

/** `Mes.WebApi.Models.V3.MesTransaction`. */
export class MesTransactionModel {
  @ApiProperty({ format: 'uuid', example: 'c1bec0bd-4d45-8b2c-89e2-8573f11c6d5a' })
  trans_id!: string;
  @ApiProperty({ format: 'date-time' })
  trans_start_utc!: string;
}

/** What ending a transaction did. */
export class MesTransactionEndModel {
  @ApiProperty({ format: 'uuid' }) trans_id!: string;
  @ApiProperty({ enum: ['committed', 'rolled_back'] }) outcome!: 'committed' | 'rolled_back';
}

function one(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw MesError.validation(`${name} must be given once.`, [`${name} must be given once`]);
  }
  return value;
}

function principalOf(request: TransactionRequest): MesPrincipal {
  if (request.mesUser === undefined) {
    throw new MesError(
      MesErrorCode.Internal,
      'No MES user on the request: register the aim-auth guard.',
    );
  }
  return request.mesUser;
}

/**
 * `POST api/v3/transaction` opens an MES transaction; `PUT api/v3/transaction?action=commit`
 * (with `trans_id` as a header or query parameter, the header wins) commits it, any other action
 * (`rollback`, `cancel`, `abort` …) rolls it back. The id is gone afterwards.
 */
@ApiTags('Transaction')
@Controller('api/v3/transaction')
export class MesTransactionController {
  constructor(private readonly transactions: MesTransactions) {}

  @Post()
  @HttpCode(200)
  @MesGenericEndpoint()
  @ApiOperation({
    operationId: 'V3_Transaction_Post',
    summary: 'Open an MES transaction',
    description:
      'Later calls (V3 and V1 routes, MiddlewareAccess, DirectAccess) pass trans_id to run in it; their writes are seen by nobody else until it is committed. Rolled back when idle for MES_TRANSACTION_TIMEOUT_S or open for MES_TRANSACTION_MAX_S.',
  })
  @ApiResponse({ status: 200, type: MesTransactionModel })
  @ApiResponse({
    status: 503,
    description: 'Too many open transactions, or the database is busy (Retry-After).',
  })
  async open(@Req() request: TransactionRequest): Promise<MesTransactionModel> {
    const { transId, startedAt } = await this.transactions.begin(principalOf(request));
    return { trans_id: transId, trans_start_utc: isoUtc(startedAt) };
  }

  @Put()
  @MesGenericEndpoint()
  @ApiOperation({
    operationId: 'V3_Transaction_Put',
    summary: 'Commit (action=commit) or roll back (any other action) an MES transaction',
  })
  @ApiQuery({ name: 'action', required: true, schema: { type: 'string', example: 'commit' } })
  @ApiQuery({ name: 'trans_id', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiHeader({ name: 'trans_id', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiResponse({ status: 200, type: MesTransactionEndModel })
  @ApiResponse({
    status: 404,
    description: "The transaction ID doesn't exist: it timed out or was not started.",
  })
  async end(@Req() request: TransactionRequest): Promise<MesTransactionEndModel> {
    const query = request.query ?? {};
    for (const key of Object.keys(query)) {
      if (key !== 'action' && key !== 'trans_id') {
        throw MesError.validation(`property ${key} should not exist`, [
          `property ${key} should not exist`,
        ]);
      }
    }
    const action = one(query.action, 'action')?.trim();
    const transId =
      one(request.headers.trans_id ?? request.headers['trans-id'], 'trans_id') ??
      one(query.trans_id, 'trans_id');
    for (const [name, value] of [
      ['action', action],
      ['trans_id', transId],
    ] as const) {
      if (value === undefined || value === '') {
        throw new MesError(
          MesErrorCode.RouteNotFound,
          `The required parameter ${name} is missing.`,
        );
      }
    }
    const principal = principalOf(request);
    const id = (transId as string).trim();
    if ((action as string).toLowerCase() === 'commit') {
      await this.transactions.commit(id, principal);
      return { trans_id: id.toLowerCase(), outcome: 'committed' };
    }
    await this.transactions.rollback(id, principal);
    return { trans_id: id.toLowerCase(), outcome: 'rolled_back' };
  }
}
