import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentMesUser } from '@mes/aim-auth';
import { MesPrincipal } from '@mes/common';
import { EntityAccessService, ProductionService } from '@mes/mes-plant';
import { MesMethod } from '@mes/mes-swagger';
import { ApiMesTimeZone, MesOptions, MesRequestOptions } from '../http/mes-request-options';
import { runJobsActor } from './job-actor';
import { ApiJobWriteErrors } from './jobs.controller';
import { ProductionByEntBody, ProductionByJobBody, ProductionModel } from './production.dto';
import { dtoValidation } from '../http/validation';

/**
 * Production (`FactMES.API.Prod.Production.*`): adds a good quantity to a running job
 * (job.qty_prod) and records it as a job_history row (event `Production`). Needs the run-jobs
 * privilege and access to the job's entity.
 */
@ApiTags('Production')
@Controller('api/v3/production')
export class ProductionController {
  constructor(
    private readonly production: ProductionService,
    private readonly access: EntityAccessService,
  ) {}

  @Post('byJob')
  @HttpCode(200)
  @MesMethod('FactMES.API.Prod.Production.AddByJob', {
    summary: 'Record production for a job',
    description: 'qty_prod > 0 is added to the job’s qty_prod; the job must be Running (else 409).',
  })
  @ApiMesTimeZone()
  @ApiBody({ type: ProductionByJobBody })
  @ApiOkResponse({ type: ProductionModel })
  @ApiJobWriteErrors()
  async addByJob(
    @Body(dtoValidation) body: ProductionByJobBody,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<ProductionModel> {
    const actor = await runJobsActor(this.access, caller);
    const record = await this.production.recordForJob(
      { ...body.toKey(), qty: body.qty_prod, comment: body.comment },
      actor,
    );
    return ProductionModel.from(record, options);
  }

  @Post()
  @HttpCode(200)
  @MesMethod('FactMES.API.Prod.Production.AddByEnt', {
    summary: 'Record production on an entity',
    description:
      'qty_prod > 0 is added to the job running on the entity named ent_name (job_pos when it runs ' +
      'several); 409 when no job runs there.',
  })
  @ApiMesTimeZone()
  @ApiBody({ type: ProductionByEntBody })
  @ApiOkResponse({ type: ProductionModel })
  @ApiJobWriteErrors()
  async addByEnt(
    @Body(dtoValidation) body: ProductionByEntBody,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<ProductionModel> {
    const actor = await runJobsActor(this.access, caller);
    const record = await this.production.recordForEnt(
      { entName: body.ent_name, qty: body.qty_prod, jobPos: body.job_pos, comment: body.comment },
      actor,
    );
    return ProductionModel.from(record, options);
  }
}
