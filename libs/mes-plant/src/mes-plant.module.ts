import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MES_PLANT_ENTITIES } from './entities/mes-plant.entities';

/** Plant tables (ent, item, wo, job …). Needs a TypeORM root connection listing MES_PLANT_ENTITIES. */
@Module({
  imports: [TypeOrmModule.forFeature(MES_PLANT_ENTITIES)],
  exports: [TypeOrmModule],
})
export class MesPlantModule {}
