import { Controller, Get, Param, ParseIntPipe } from '@nestjs/common';
import { CurrentMesUser } from '@mes-web-api/aim-auth';
import { MesDb, MesPrincipal } from '@mes-web-api/common';
import { EntService } from '@mes-web-api/mes-plant';
import { MesMethod } from '@mes-web-api/mes-swagger';

/** The app's own route over the MES plant objects (the mes-plant package's services). */
@Controller('plant')
export class PlantController {
  constructor(
    private readonly ents: EntService,
    private readonly db: MesDb,
  ) {}

  /** An entity the caller's groups may use; any other is a 404 ENTITY_ACCESS_DENIED. */
  @Get('entities/:entId')
  @MesMethod('FactMES.API.Consumer.Entity.GetByKey')
  async entity(
    @CurrentMesUser() user: MesPrincipal,
    @Param('entId', ParseIntPipe) entId: number,
  ): Promise<{ ent_id: number; ent_name: string }> {
    const call = { ...this.db.auto, userId: user.userId, principal: user };
    const ent = await this.ents.getByKey(call, entId);
    return { ent_id: ent.ent_id, ent_name: ent.ent_name };
  }
}
