import { Module } from '@nestjs/common';
import { MesUsersModule } from '@mes-web-api/mes-users';
import { EntityAccessService } from './access/entity-access.service';
import { EntService } from './ent/ent.service';
import { ItemService } from './item/item.service';
import { WoService } from './wo/wo.service';
import { JobsService } from './jobs/jobs.service';
import { ProductionService } from './jobs/production.service';
import { ShiftPatternService } from './shifts/shift-pattern.service';
import { ShiftScheduleService } from './shifts/shift-schedule.service';

const SERVICES = [
  EntityAccessService,
  EntService,
  ItemService,
  WoService,
  ShiftScheduleService,
  ShiftPatternService,
  JobsService,
  ProductionService,
];

/**
 * Plant objects (ent, item, wo, job …). Needs `MesDb` (MesDatabaseModule, global); the TypeORM
 * entities (MES_PLANT_ENTITIES) are for the DataSource and its migrations.
 */
@Module({ imports: [MesUsersModule], providers: SERVICES, exports: SERVICES })
export class MesPlantModule {}
