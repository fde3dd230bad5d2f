import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { MesError } from '@mes/common';
import { UserNameService } from '@mes/mes-users';
import { MesMethod } from '@mes/mes-swagger';
import { ApiMesReadOptions, MesOptions, MesRequestOptions } from '../../http/mes-request-options';
import { listResult } from '../shared/list-result';
import { IdKeyPipe, USER_ID_PATTERN } from '../shared/master-data-params';
import { ApiMasterDataErrors } from '../shared/master-data-responses';
import { UserNameListQuery, UserNameModel } from './user-name.dto';
import { dtoValidation } from '../../http/validation';

const userIdKey = new IdKeyPipe(
  'userId',
  USER_ID_PATTERN,
  'an MES user id: letters, digits, inner blanks and _ - . @ $ \\ only',
);

/** MES users (`FactMES.API.Core.UserName.*`), read only; never any password or salt. */
@ApiTags('UserName')
@Controller('api/v3/userName')
export class UserNameController {
  constructor(private readonly users: UserNameService) {}

  @Get()
  @MesMethod('FactMES.API.Core.UserName.GetAll', {
    summary: 'All MES users',
    description: '204 when none.',
  })
  @ApiMesReadOptions()
  @ApiOkResponse({ type: UserNameModel, isArray: true })
  @ApiNoContentResponse({ description: 'No user.' })
  @ApiMasterDataErrors()
  async getAll(
    @Query(dtoValidation) _query: UserNameListQuery,
    @MesOptions() options: MesRequestOptions,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserNameModel[] | undefined> {
    const rows = await this.users.list(options.maxRows);
    return listResult(
      reply,
      rows.map((u) => UserNameModel.from(u, options)),
    );
  }

  @Get('key')
  @MesMethod('FactMES.API.Core.UserName.GetByKey', { summary: 'One MES user by user_id' })
  @ApiQuery({ name: 'userId', type: String, required: true, example: 'mes\\operator' })
  @ApiMesReadOptions()
  @ApiOkResponse({ type: UserNameModel })
  @ApiMasterDataErrors()
  async getByKey(
    @Query(userIdKey) userId: string,
    @MesOptions() options: MesRequestOptions,
  ): Promise<UserNameModel> {
    const user = await this.users.get(userId);
    if (!user) throw MesError.entityNotFound({ user_id: userId });
    return UserNameModel.from(user, options);
  }
}
