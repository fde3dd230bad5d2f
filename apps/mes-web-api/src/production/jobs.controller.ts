import { applyDecorators, Body, Controller, Get, HttpCode, Put, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentMesUser } from '@mes/aim-auth';
import { MesError, MesPrincipal } from '@mes/common';
import { EntityAccessService, JobState, JobsService } from '@mes/mes-plant';
import { MesMethod } from '@mes/mes-swagger';
import {
  ApiMesReadOptions,
  ApiMesTimeZone,
  MesOptions,
  MesRequestOptions,
} from '../http/mes-request-options';
import { listResult } from '../master-data/shared/list-result';
import { ApiMasterDataErrors, ProblemModel } from '../master-data/shared/master-data-responses';
import { runJobsActor } from './job-actor';
import {
  ChangeJobStateBody,
  EndJobBody,
  JobChangeModel,
  JobFilterQuery,
  JobKeyQuery,
  JobModel,
  JobsV1Query,
  PauseJobBody,
  StartJobBody,
} from './jobs.dto';
import { dtoValidation } from '../http/validation';

/** The error answers of a job or production write. */
export const ApiJobWriteErrors = (): MethodDecorator =>
  applyDecorators(
    ApiMasterDataErrors(),
    ApiForbiddenResponse({
      type: ProblemModel,
      description: 'The caller lacks the run-jobs privilege.',
    }),
    ApiConflictResponse({
      type: ProblemModel,
      description:
        'The job state machine or the entity refuses the change (MES message in detail).',
    }),
  );

/**
 * Jobs (`FactMES.API.Prod.Job.*`) and their execution (`FactMES.API.Prod.JobExec.*`). A job is
 * visible to callers whose groups may use its entity (run_ent_id, else target_ent_id); state
 * changes also need the run-jobs privilege and follow the transition table of JobState.
 */
@ApiTags('Job')
@Controller('api/v3/jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly access: EntityAccessService,
  ) {}

  @Get('key')
  @MesMethod('FactMES.API.Prod.Job.GetByKey', { summary: 'One job by wo_id, oper_id, seq_no' })
  @ApiMesReadOptions()
  @ApiOkResponse({ type: JobModel })
  @ApiMasterDataErrors()
  async getByKey(
    @Query(dtoValidation) query: JobKeyQuery,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<JobModel> {
    const key = query.toKey();
    const job = await this.jobs.getByKey(key);
    if (!job)
      throw MesError.entityNotFound({ wo_id: key.woId, oper_id: key.operId, seq_no: key.seqNo });
    const entId = job.runEntId ?? job.targetEntId;
    if (entId !== null && !(await this.access.canAccess(caller.userId, entId))) {
      throw MesError.entityAccessDenied({
        wo_id: key.woId,
        oper_id: key.operId,
        seq_no: key.seqNo,
      });
    }
    return JobModel.from(job, options);
  }

  @Get('filter')
  @MesMethod('FactMES.API.Prod.Job.GetByFilter', {
    summary: 'Jobs matching a filter',
    description:
      'Filters: woId, operId, seqNo, stateCd, runEntId, targetEntId, itemId (all must match). Only jobs on ' +
      'entities the caller may access. Ordered by wo_id, oper_id, seq_no. 204 when none.',
  })
  @ApiMesReadOptions()
  @ApiOkResponse({ type: JobModel, isArray: true })
  @ApiNoContentResponse({ description: 'No job matches.' })
  @ApiMasterDataErrors()
  async getByFilter(
    @Query(dtoValidation) query: JobFilterQuery,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobModel[] | undefined> {
    const accessibleEntIds = await this.access.accessibleEntityIds(caller.userId);
    const rows = await this.jobs.filter(query.toFilter(), {
      maxRows: options.maxRows,
      accessibleEntIds,
    });
    return listResult(
      reply,
      rows.map((j) => JobModel.from(j, options)),
    );
  }

  @Put('start')
  @HttpCode(200)
  @MesMethod('FactMES.API.Prod.JobExec.StartJob', {
    summary: 'Start (or resume) a job on an entity',
    description:
      'New, Ready, Suspended or On Hold → Running. Takes the job position job_pos of ent_id (default: the ' +
      'first idle one); 409 when the job is Running, Completed or Canceled, when the entity cannot run jobs, ' +
      'or when the position already runs another job. run_ent_id must equal ent_id.',
  })
  @ApiMesTimeZone()
  @ApiBody({ type: StartJobBody })
  @ApiOkResponse({ type: JobChangeModel })
  @ApiJobWriteErrors()
  async start(
    @Body(dtoValidation) body: StartJobBody,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<JobChangeModel> {
    const actor = await runJobsActor(this.access, caller);
    const change = await this.jobs.start(
      {
        ...body.toKey(),
        entId: body.ent_id,
        runEntId: body.run_ent_id,
        jobPos: body.job_pos,
        comment: body.comment,
      },
      actor,
    );
    return JobChangeModel.fromChange(change, options);
  }

  @Put('end')
  @HttpCode(200)
  @MesMethod('FactMES.API.Prod.JobExec.EndJob', {
    summary: 'End a job',
    description: 'Running, Suspended or On Hold → Completed; frees the job position it ran on.',
  })
  @ApiMesTimeZone()
  @ApiBody({ type: EndJobBody })
  @ApiOkResponse({ type: JobChangeModel })
  @ApiJobWriteErrors()
  async end(
    @Body(dtoValidation) body: EndJobBody,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<JobChangeModel> {
    const actor = await runJobsActor(this.access, caller);
    const change = await this.jobs.end(
      { ...body.toKey(), entId: body.ent_id, comment: body.comment },
      actor,
    );
    return JobChangeModel.fromChange(change, options);
  }

  @Put('pause')
  @HttpCode(200)
  @MesMethod('FactMES.API.Prod.JobExec.PauseJob', {
    summary: 'Pause a running job',
    description:
      'Running → Suspended (state_cd 5, default) or On Hold (6); frees the job position.',
  })
  @ApiMesTimeZone()
  @ApiBody({ type: PauseJobBody })
  @ApiOkResponse({ type: JobChangeModel })
  @ApiJobWriteErrors()
  async pause(
    @Body(dtoValidation) body: PauseJobBody,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<JobChangeModel> {
    const actor = await runJobsActor(this.access, caller);
    const change = await this.jobs.pause(
      {
        ...body.toKey(),
        stateCd: body.state_cd ?? JobState.Suspended,
        entId: body.ent_id,
        comment: body.comment,
      },
      actor,
    );
    return JobChangeModel.fromChange(change, options);
  }

  @Put('changeJobStates')
  @HttpCode(200)
  @MesMethod('FactMES.API.Prod.Job.ChangeJobStates', {
    summary: 'Set a job to a target state',
    description:
      'Any change the job state transition table allows (see the README); state_cd 3 needs ent_id (and ' +
      'optionally job_pos) like Start. Leaving Running frees the job position.',
  })
  @ApiMesTimeZone()
  @ApiBody({ type: ChangeJobStateBody })
  @ApiOkResponse({ type: JobChangeModel })
  @ApiJobWriteErrors()
  async changeJobStates(
    @Body(dtoValidation) body: ChangeJobStateBody,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<JobChangeModel> {
    const actor = await runJobsActor(this.access, caller);
    const change = await this.jobs.changeState(
      {
        ...body.toKey(),
        stateCd: body.state_cd,
        entId: body.ent_id,
        jobPos: body.job_pos,
        comment: body.comment,
      },
      actor,
    );
    return JobChangeModel.fromChange(change, options);
  }
}

/** The V1 route of AVEVA's Jobs_Get (`api/jobs?woId=…[&operId=…&seqNo=…]`), used by Work Tasks lookups. */
@ApiTags('Job')
@Controller('api/jobs')
export class JobsV1Controller {
  constructor(
    private readonly jobs: JobsService,
    private readonly access: EntityAccessService,
  ) {}

  @Get()
  @MesMethod('FactMES.API.Prod.Job.Get', {
    summary: 'The jobs of a work order, or one job (V1 route)',
    description:
      'woId alone: every job of the work order the caller may see (204 when none). woId, operId and seqNo: ' +
      'that one job (404 when it does not exist or its entity is not accessible).',
  })
  @ApiMesReadOptions()
  @ApiOkResponse({ type: JobModel, isArray: true })
  @ApiNoContentResponse({ description: 'The work order has no job the caller may see.' })
  @ApiMasterDataErrors()
  async get(
    @Query(dtoValidation) query: JobsV1Query,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobModel | JobModel[] | undefined> {
    const { woId, key } = query.toKey();
    const accessibleEntIds = await this.access.accessibleEntityIds(caller.userId);
    if (key) {
      const job = await this.jobs.getByKey(key);
      if (!job)
        throw MesError.entityNotFound({ wo_id: key.woId, oper_id: key.operId, seq_no: key.seqNo });
      const entId = job.runEntId ?? job.targetEntId;
      if (entId !== null && !accessibleEntIds.has(entId)) {
        throw MesError.entityAccessDenied({
          wo_id: key.woId,
          oper_id: key.operId,
          seq_no: key.seqNo,
        });
      }
      return JobModel.from(job, options);
    }
    const rows = await this.jobs.filter({ woId }, { maxRows: options.maxRows, accessibleEntIds });
    return listResult(
      reply,
      rows.map((j) => JobModel.from(j, options)),
    );
  }
}
