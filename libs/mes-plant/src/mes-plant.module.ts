import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MesUsersModule } from '@mes/mes-users';
import { EntityAccessService } from './access/entity-access.service';
import { EntService } from './ent/ent.service';
import { ItemService } from './item/item.service';
import { WoService } from './wo/wo.service';
import { JobsService } from './jobs/jobs.service';
import { ProductionService } from './jobs/production.service';
import { MES_PLANT_ENTITIES } from './entities/mes-plant.entities';
import { ShiftPatternService } from './shifts/shift-pattern.service';
import { ShiftScheduleService } from './shifts/shift-schedule.service';

/** Plant tables (ent, item, wo, job …). Needs a TypeORM root connection listing MES_PLANT_ENTITIES. */
@Module({
  imports: [TypeOrmModule.forFeature(MES_PLANT_ENTITIES), MesUsersModule],
  providers: [
    EntityAccessService,
    EntService,
    ItemService,
    WoService,
    ShiftScheduleService,
    ShiftPatternService,
    JobsService,
    ProductionService,
  ],
  exports: [
    TypeOrmModule,
    EntityAccessService,
    EntService,
    ItemService,
    WoService,
    ShiftScheduleService,
    ShiftPatternService,
    JobsService,
    ProductionService,
  ],
})
export class MesPlantModule {}
