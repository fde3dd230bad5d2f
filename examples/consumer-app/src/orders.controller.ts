import { Controller, Delete, Get, Param, Post } from '@nestjs/common';
import {
  CurrentMesUser,
  Public,
  RequirePrivilege,
  RequireScope,
  ServiceTokensOnly,
  UserTokensOnly,
} from '@mes-web-api/aim-auth';
import { BackgroundUserService } from '@mes-web-api/background-user';
import { MesPrincipal } from '@mes-web-api/common';
import { MesMethod } from '@mes-web-api/mes-swagger';
import { MesPrivilege } from '@mes-web-api/mes-users';

/** The app's own routes, protected by the global guard (ConsumerAuthGuard) unless @Public(). */
@Controller()
export class OrdersController {
  constructor(private readonly backgroundUser: BackgroundUserService) {}

  @Public()
  @Get('hello')
  @MesMethod('FactMES.API.Consumer.Greeting.Get', { public: true })
  hello(): { hello: string } {
    return { hello: 'world' };
  }

  /** Any valid token: a person's, or a service token acting as the background user. */
  @Get('me')
  @MesMethod('FactMES.API.Consumer.User.GetCurrent')
  me(@CurrentMesUser() user: MesPrincipal): MesPrincipal {
    return user;
  }

  @Get('orders')
  @UserTokensOnly()
  @MesMethod('FactMES.API.Consumer.Order.GetAll')
  orders(@CurrentMesUser() user: MesPrincipal): { orders: string[]; for: string } {
    return { orders: ['WO-1', 'WO-2'], for: user.userId };
  }

  /** For the scheduler only: runs as the MES background user (system attribute 199). */
  @Post('orders/import')
  @ServiceTokensOnly()
  @MesMethod('FactMES.API.Consumer.Order.Import')
  async import(
    @CurrentMesUser() user: MesPrincipal,
  ): Promise<{ importedBy: string; backgroundUser: string }> {
    const background = await this.backgroundUser.current();
    return { importedBy: user.userId, backgroundUser: background.userId };
  }

  @Delete('orders/:id')
  @RequirePrivilege({ id: MesPrivilege.EditMasterData, name: 'edit master data' })
  @MesMethod('FactMES.API.Consumer.Order.Delete')
  remove(@Param('id') id: string): { deleted: string } {
    return { deleted: id };
  }

  @Get('reports')
  @RequireScope('reports:read')
  @MesMethod('FactMES.API.Consumer.Report.GetAll')
  reports(): string[] {
    return [];
  }

  @Get('system')
  @RequireScope('system')
  @MesMethod('FactMES.API.Consumer.System.Get')
  system(): { scope: string } {
    return { scope: 'system' };
  }
}
