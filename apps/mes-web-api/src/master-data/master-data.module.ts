import { Module } from '@nestjs/common';
import { MesPlantModule } from '@mes/mes-plant';
import { MesUsersModule } from '@mes/mes-users';
import { EntityController } from './entity/entity.controller';
import { ItemController } from './item/item.controller';
import { UserNameController } from './users/user-name.controller';
import { WoController } from './wo/wo.controller';

/**
 * MES master data under /mesmw/api/v3: entities, items, work orders (read and write) and users
 * (read). Needs the app's TypeORM root connection (MesDatabaseModule lists every MES entity).
 */
@Module({
  imports: [MesPlantModule, MesUsersModule],
  controllers: [EntityController, ItemController, WoController, UserNameController],
})
export class MasterDataApiModule {}
