import { Module } from '@nestjs/common';
import { MesPlantModule } from '@mes/mes-plant';
import { JobsController, JobsV1Controller } from './jobs.controller';
import { ProductionController } from './production.controller';

/** Jobs, job execution and production endpoints (api/v3, plus the V1 api/jobs lookup). */
@Module({
  imports: [MesPlantModule],
  controllers: [JobsController, JobsV1Controller, ProductionController],
})
export class ProductionApiModule {}
