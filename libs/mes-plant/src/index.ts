export { MesPlantModule } from './mes-plant.module';
export { MES_PLANT_ENTITIES } from './entities/mes-plant.entities';
export { Ent } from './entities/ent.entity';
export { Item } from './entities/item.entity';
export { Wo } from './entities/wo.entity';
export { Job } from './entities/job.entity';
export { JobExec } from './entities/job-exec.entity';
export { JobHistory } from './entities/job-history.entity';
export { ShiftPattern } from './entities/shift-pattern.entity';
export { ShiftSched } from './entities/shift-sched.entity';
export { EntityAccessService, ENTITY_ACCESS_TTL_MS } from './access/entity-access.service';
export { EntService, type EntValues } from './ent/ent.service';
export { ENT_FLAGS, type EntFlag, type EntFilter } from './ent/ent.queries';
export { ItemService, type ItemValues, type ItemFilter } from './item/item.service';
export { WoService, type WoValues, type WoFilter } from './wo/wo.service';
export { constraintViolation, type ConstraintKind } from './shared/constraint-error';
export { fromFlag } from './shared/master-data';
export {
  ShiftScheduleService,
  type ShiftScheduleValues,
  type ShiftScheduleFilter,
} from './shifts/shift-schedule.service';
export { ShiftPatternService, type ShiftPatternValues } from './shifts/shift-pattern.service';
export { JobsService, refusedTransition, type JobEvent } from './jobs/jobs.service';
export { ProductionService, PRODUCTION_EVENT } from './jobs/production.service';
export {
  JobState,
  JOB_STATES,
  JOB_STATE_NAMES,
  JOB_STATE_TRANSITIONS,
  canChangeJobState,
  isJobState,
  jobLabel,
  jobStateName,
} from './jobs/job-state';
export type {
  JobKey,
  JobActor,
  JobChange,
  JobFilter,
  JobQueryOptions,
  StartJobInput,
  EndJobInput,
  PauseJobInput,
  ChangeJobStateInput,
  ProductionByJobInput,
  ProductionByEntInput,
  ProductionRecord,
} from './jobs/jobs.interfaces';
