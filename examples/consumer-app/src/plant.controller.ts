import { Controller, Get, Headers, Param, ParseIntPipe } from '@nestjs/common';
import { CurrentMesUser } from '@mes-web-api/aim-auth';
import { DbContext, MesDb, MesPrincipal } from '@mes-web-api/common';
import { EntService } from '@mes-web-api/mes-plant';
import { MesMethod } from '@mes-web-api/mes-swagger';
import { MesTransactions } from '@mes-web-api/mes-transactions';

/** The app's own route over the MES plant objects (the mes-plant package's services). */
@Controller('plant')
export class PlantController {
  constructor(
    private readonly ents: EntService,
    private readonly db: MesDb,
    private readonly transactions: MesTransactions,
  ) {}

  /**
   * An entity the caller's groups may use; any other is a 404 ENTITY_ACCESS_DENIED. With a
   * `trans_id` header it reads inside that MES transaction (POST api/v3/transaction opens one).
   */
  @Get('entities/:entId')
  @MesMethod('FactMES.API.Consumer.Entity.GetByKey')
  entity(
    @CurrentMesUser() user: MesPrincipal,
    @Param('entId', ParseIntPipe) entId: number,
    @Headers('trans_id') transId?: string,
  ): Promise<{ ent_id: number; ent_name: string }> {
    const read = async (context: DbContext) => {
      const call = { ...context, userId: user.userId, principal: user };
      const ent = await this.ents.getByKey(call, entId);
      return { ent_id: ent.ent_id, ent_name: ent.ent_name };
    };
    return transId === undefined ? read(this.db.auto) : this.transactions.run(transId, user, read);
  }
}
