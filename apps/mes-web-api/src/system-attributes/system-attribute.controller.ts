import { Body, Controller, Get, Param, ParseIntPipe, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { MesError, MesErrorCode, MesPrincipal } from '@mes/common';
import { CurrentMesUser } from '@mes/aim-auth';
import { MesMethod } from '@mes/mes-swagger';
import {
  BACKGROUND_USER_ATTR_ID,
  MesPrivilege,
  MesUsersService,
  SystemAttributesService,
} from '@mes/mes-users';
import { BackgroundUserService } from '@mes/background-user';
import { SetSystemAttributeDto, SystemAttributeModel } from './system-attribute.dto';
import { dtoValidation } from '../http/validation';

const attrIdPipe = new ParseIntPipe({
  exceptionFactory: () =>
    MesError.validation('attrId must be an integer.', ['attrId must be an integer']),
});

/** System attributes (`system_attr`): read by any MES user, changed with the system-attribute privilege. */
@ApiTags('SystemAttribute')
@Controller()
export class SystemAttributeController {
  constructor(
    private readonly attributes: SystemAttributesService,
    private readonly users: MesUsersService,
    private readonly backgroundUser: BackgroundUserService,
  ) {}

  @Get('api/v3/systemAttribute')
  @MesMethod('FactMES.API.Core.SystemAttribute.GetAll', { summary: 'All system attributes' })
  async getAll(): Promise<SystemAttributeModel[]> {
    return (await this.attributes.list()).map((a) => SystemAttributeModel.from(a));
  }

  @Get('api/v3/systemAttribute/:attrId')
  @MesMethod('FactMES.API.Core.SystemAttribute.GetByKey', { summary: 'One system attribute' })
  async getByKey(@Param('attrId', attrIdPipe) attrId: number): Promise<SystemAttributeModel> {
    return SystemAttributeModel.from(await this.find(attrId));
  }

  @Get('api/systemAttribute/:attrId')
  @MesMethod('FactMES.API.Core.SystemAttribute.GetValue', {
    summary: 'One system attribute (V1 route)',
  })
  async getByKeyV1(@Param('attrId', attrIdPipe) attrId: number): Promise<SystemAttributeModel> {
    return SystemAttributeModel.from(await this.find(attrId));
  }

  @Put('api/v3/systemAttribute/:attrId')
  @MesMethod('FactMES.API.Core.SystemAttribute.SetValue', {
    summary: 'Change a system attribute',
    description:
      'Requires the privilege to change system attributes. Attribute 199 (User ID for background tasks) ' +
      'must name an existing, active MES user; the change takes effect at once on every API instance.',
  })
  async setValue(
    @Param('attrId', attrIdPipe) attrId: number,
    @Body(dtoValidation) body: SetSystemAttributeDto,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<SystemAttributeModel> {
    if (!(await this.users.hasPrivilege(caller.userId, MesPrivilege.EditSystemAttributes))) {
      throw new MesError(
        MesErrorCode.PrivilegeMissing,
        `"${caller.userId}" may not change system attributes (privilege ${MesPrivilege.EditSystemAttributes}).`,
      );
    }
    await this.find(attrId);
    const saved =
      attrId === BACKGROUND_USER_ATTR_ID
        ? await this.backgroundUser.changeBackgroundUser(body.attr_value, caller.userId)
        : await this.attributes.set(attrId, body.attr_value, caller.userId);
    return SystemAttributeModel.from(saved);
  }

  private async find(attrId: number) {
    const attribute = await this.attributes.get(attrId);
    if (!attribute) throw MesError.entityNotFound({ attr_id: attrId });
    return attribute;
  }
}
