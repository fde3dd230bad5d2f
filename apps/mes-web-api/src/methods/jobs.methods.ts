import { MesError, MesErrorCode } from '@mes-web-api/common';
import { InputOf, list, one, oneOrList, p } from '@mes-web-api/mes-methods';
import { EndJobInput, JOB_STATES, JobKey, JobState } from '@mes-web-api/mes-plant';
import { JobChangeModel, JobModel, ProductionModel } from './models';
import { method, Privileges } from './mes-services';

/*
 * Jobs (`FactMES.API.Prod.Job.*`), their execution (`FactMES.API.Prod.JobExec.*`) and production
 * (`FactMES.API.Prod.Production.*`). A job is visible to callers whose groups may use its entity
 * (run_ent_id, else target_ent_id); writes need the run-jobs privilege and follow the job state
 * transition table (README).
 */

const COMMENT_MAX = 1000;
/** Largest quantity accepted in one production post. */
export const QTY_PROD_MAX = 1_000_000_000;

const comment = p.text(COMMENT_MAX).describe('Notes, kept in job_history.comment.');

/** The key members of a job in a body. */
const keyBody = {
  wo_id: p.id().required().example('WO-1001'),
  oper_id: p.id().required().example('OP30'),
  seq_no: p.int(0).required().example(0),
  comment,
};

/** End/Pause name the job by its key, or by the entity (and job position) running it. */
const endBody = {
  wo_id: p.id().example('WO-1001'),
  oper_id: p.id().example('OP20'),
  seq_no: p.int(0).example(0),
  run_ent_id: p
    .key()
    .describe(
      'The entity running the job. Without wo_id/oper_id/seq_no: the job running there at job_pos.',
    ),
  ent_id: p.key().describe('The same as run_ent_id (either may be sent).'),
  job_pos: p.int(0).describe('With run_ent_id and no job key: the job position (default 0).'),
  comment,
};

/** The job an End/Pause body names. */
function endInput(body: InputOf<typeof endBody>): EndJobInput {
  if (
    body.run_ent_id !== undefined &&
    body.ent_id !== undefined &&
    body.run_ent_id !== body.ent_id
  ) {
    throw MesError.validation('run_ent_id and ent_id name different entities.', [
      'run_ent_id must equal ent_id',
    ]);
  }
  const parts = [body.wo_id, body.oper_id, body.seq_no].filter((v) => v !== undefined).length;
  if (parts !== 0 && parts !== 3) {
    throw MesError.validation('Give all of wo_id, oper_id and seq_no, or none of them.', [
      'wo_id, oper_id and seq_no go together',
    ]);
  }
  const key: JobKey | undefined =
    parts === 3
      ? { woId: body.wo_id as string, operId: body.oper_id as string, seqNo: body.seq_no as number }
      : undefined;
  return {
    key,
    entId: body.run_ent_id ?? body.ent_id,
    jobPos: body.job_pos,
    comment: body.comment,
  };
}

const jobKeyQuery = {
  woId: p.id().required(),
  operId: p.id().required(),
  seqNo: p.int(0).required(),
};

const filterQuery = {
  woId: p.id(),
  operId: p.id(),
  seqNo: p.int(0),
  stateCd: p.intEnum(JOB_STATES, 'a job state from 1 to 7').describe('1 New … 7 Canceled'),
  runEntId: p.key(),
  targetEntId: p.key(),
  itemId: p.id(),
};

const qtyProd = p.number({ min: 0, exclusiveMin: true, max: QTY_PROD_MAX }).required().example(25);

const keyOfQuery = (q: InputOf<typeof jobKeyQuery>): JobKey => ({
  woId: q.woId,
  operId: q.operId,
  seqNo: q.seqNo,
});
const keyOfBody = (b: InputOf<typeof keyBody>): JobKey => ({
  woId: b.wo_id,
  operId: b.oper_id,
  seqNo: b.seq_no,
});

export const JOB_METHODS = [
  method({
    name: 'FactMES.API.Prod.Job.GetByKey',
    verb: 'GET',
    path: 'api/v3/jobs/key',
    tag: 'Job',
    summary: 'One job by wo_id, oper_id, seq_no',
    query: jobKeyQuery,
    result: one(JobModel),
    handle: ({ jobs }, call, { query }) => jobs.getByKey(call, keyOfQuery(query)),
  }),
  method({
    name: 'FactMES.API.Prod.Job.GetByFilter',
    verb: 'GET',
    path: 'api/v3/jobs/filter',
    tag: 'Job',
    summary: 'Jobs matching a filter',
    description:
      'Filters: woId, operId, seqNo, stateCd, runEntId, targetEntId, itemId (all must match). Only jobs on ' +
      'entities the caller may access. Ordered by wo_id, oper_id, seq_no. 204 when none.',
    query: filterQuery,
    result: list(JobModel),
    handle: ({ jobs }, call, { query }) =>
      jobs.list(
        call,
        {
          wo_id: query.woId,
          oper_id: query.operId,
          seq_no: query.seqNo,
          state_cd: query.stateCd,
          run_ent_id: query.runEntId,
          target_ent_id: query.targetEntId,
          item_id: query.itemId,
        },
        call.maxRows,
      ),
  }),
  method({
    name: 'FactMES.API.Prod.Job.Get',
    verb: 'GET',
    path: 'api/jobs',
    tag: 'Job',
    summary: 'The jobs of a work order, or one job (V1 route)',
    description:
      'woId alone: every job of the work order the caller may see (204 when none). woId, operId and seqNo: ' +
      'that one job (404 when it does not exist or its entity is not accessible).',
    query: { woId: p.id().required(), operId: p.id(), seqNo: p.int(0) },
    result: oneOrList(JobModel),
    handle: ({ jobs }, call, { query }) => {
      if (query.operId === undefined && query.seqNo === undefined) {
        return jobs.list(call, { wo_id: query.woId }, call.maxRows);
      }
      for (const name of ['operId', 'seqNo'] as const) {
        if (query[name] === undefined) {
          throw new MesError(
            MesErrorCode.RouteNotFound,
            `The required parameter ${name} is missing.`,
          );
        }
      }
      return jobs.getByKey(call, {
        woId: query.woId,
        operId: query.operId as string,
        seqNo: query.seqNo as number,
      });
    },
  }),
  method({
    name: 'FactMES.API.Prod.JobExec.StartJob',
    verb: 'PUT',
    path: 'api/v3/jobs/start',
    tag: 'Job',
    summary: 'Start (or resume) a job on an entity',
    description:
      'New, Ready, Suspended or On Hold → Running. Takes the job position job_pos of ent_id (default: the ' +
      'first idle one); 409 when the job is Running, Completed or Canceled, when the entity cannot run jobs, ' +
      'or when the position already runs another job. run_ent_id must equal ent_id.',
    body: {
      ...keyBody,
      ent_id: p.key().required().example(6).describe('The entity whose job position runs the job.'),
      run_ent_id: p
        .key()
        .required()
        .example(6)
        .describe('Stored as job.run_ent_id; must equal ent_id.'),
      job_pos: p.int(0).describe('Job position of ent_id; default: its first idle one.'),
    },
    bodyName: 'StartJobBody',
    privilege: Privileges.runJobs,
    result: one(JobChangeModel),
    handle: ({ jobs }, call, { body }) =>
      jobs.start(call, {
        entId: body.ent_id,
        runEntId: body.run_ent_id,
        jobPos: body.job_pos,
        comment: body.comment,
        ...keyOfBody(body),
      }),
  }),
  method({
    name: 'FactMES.API.Prod.JobExec.EndJob',
    verb: 'PUT',
    path: 'api/v3/jobs/end',
    tag: 'Job',
    summary: 'End a job',
    description:
      'Running, Suspended or On Hold → Completed; frees the job position it ran on. The job is named by ' +
      'wo_id, oper_id, seq_no, or by run_ent_id (and job_pos, default 0): the job running there.',
    body: endBody,
    bodyName: 'EndJobBody',
    privilege: Privileges.runJobs,
    result: one(JobChangeModel),
    handle: ({ jobs }, call, { body }) => jobs.end(call, endInput(body)),
  }),
  method({
    name: 'FactMES.API.Prod.JobExec.PauseJob',
    verb: 'PUT',
    path: 'api/v3/jobs/pause',
    tag: 'Job',
    summary: 'Pause a running job',
    description:
      'Running → Suspended (state_cd 5, default; 3 also means 5) or On Hold (6); frees the job position.',
    body: {
      ...endBody,
      state_cd: p
        .intEnum(
          [JobState.Running, JobState.Suspended, JobState.OnHold],
          '5 (Suspended) or 6 (On Hold)',
        )
        .default(JobState.Suspended),
    },
    bodyName: 'PauseJobBody',
    privilege: Privileges.runJobs,
    result: one(JobChangeModel),
    handle: ({ jobs }, call, { body }) =>
      jobs.pause(call, {
        stateCd: body.state_cd === Number(JobState.OnHold) ? JobState.OnHold : JobState.Suspended,
        ...endInput(body),
      }),
  }),
  method({
    name: 'FactMES.API.Prod.Job.ChangeJobStates',
    verb: 'PUT',
    path: 'api/v3/jobs/changeJobStates',
    tag: 'Job',
    summary: 'Set a job to a target state',
    description:
      'Any change the job state transition table allows (see the README); state_cd 3 needs ent_id (and ' +
      'optionally job_pos) like Start. Leaving Running frees the job position.',
    body: {
      ...keyBody,
      state_cd: p.intEnum(JOB_STATES, 'a job state from 1 to 7').required(),
      ent_id: p
        .key()
        .describe(
          'Required for state_cd 3 (the entity to run on); otherwise, when given, must be the job’s entity.',
        ),
      job_pos: p.int(0).describe('With state_cd 3: the job position to run on.'),
    },
    bodyName: 'ChangeJobStateBody',
    privilege: Privileges.runJobs,
    result: one(JobChangeModel),
    handle: ({ jobs }, call, { body }) =>
      jobs.changeState(call, {
        stateCd: body.state_cd,
        entId: body.ent_id,
        jobPos: body.job_pos,
        comment: body.comment,
        ...keyOfBody(body),
      }),
  }),
  method({
    name: 'FactMES.API.Prod.Production.AddByJob',
    verb: 'POST',
    path: 'api/v3/production/byJob',
    tag: 'Production',
    summary: 'Record production for a job',
    description: 'qty_prod > 0 is added to the job’s qty_prod; the job must be Running (else 409).',
    body: { ...keyBody, qty_prod: qtyProd },
    bodyName: 'ProductionByJobBody',
    privilege: Privileges.runJobs,
    result: one(ProductionModel),
    handle: ({ production }, call, { body }) =>
      production.recordForJob(call, {
        qty: body.qty_prod,
        comment: body.comment,
        ...keyOfBody(body),
      }),
  }),
  method({
    name: 'FactMES.API.Prod.Production.AddByEnt',
    verb: 'POST',
    path: 'api/v3/production',
    tag: 'Production',
    summary: 'Record production on an entity',
    description:
      'qty_prod > 0 is added to the job running on the entity named ent_name (job_pos when it runs ' +
      'several); 409 when no job runs there. site_name is accepted (entity names are unique here).',
    body: {
      ent_name: p.id().required().example('Filler 1'),
      site_name: p
        .id()
        .describe('Accepted; entity names are unique in this API, so it is not needed.'),
      qty_prod: qtyProd,
      job_pos: p.int(0).describe('Needed only when the entity runs several jobs at once.'),
      comment,
    },
    bodyName: 'ProductionByEntBody',
    privilege: Privileges.runJobs,
    result: one(ProductionModel),
    handle: ({ production }, call, { body }) =>
      production.recordForEnt(call, {
        entName: body.ent_name,
        qty: body.qty_prod,
        jobPos: body.job_pos,
        comment: body.comment,
      }),
  }),
];
