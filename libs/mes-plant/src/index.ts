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
export type { PlantContext } from './shared/plant-context';
export { EntityAccessService, ENTITY_ACCESS_TTL_MS } from './access/entity-access.service';
export { EntService, type EntValues } from './ent/ent.service';
export { ENT_FLAGS, type EntFlag, type EntFilter, type EntRow } from './ent/ent.sql';
export { ItemService, type ItemValues, type ItemFilter } from './item/item.service';
export { ITEM_FLAGS, type ItemFlag, type ItemRow } from './item/item.sql';
export { WoService, type WoValues, type WoFilter } from './wo/wo.service';
export type { WoRow } from './wo/wo.sql';
export { constraintViolation, type ConstraintKind } from './shared/constraint-error';
export { fromFlag, toFlag } from './shared/master-data';
export {
  ShiftScheduleService,
  type ShiftScheduleValues,
  type ShiftScheduleFilter,
} from './shifts/shift-schedule.service';
export { ShiftPatternService, type ShiftPatternValues } from './shifts/shift-pattern.service';
export type { ShiftSchedRow, ShiftPatternRow } from './shifts/shifts.sql';
export { JobsService, refusedTransition, type JobEvent } from './jobs/jobs.service';
export { ProductionService, PRODUCTION_EVENT } from './jobs/production.service';
export type { JobRow, JobExecRow } from './jobs/jobs.sql';
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
  JobChange,
  JobFilter,
  StartJobInput,
  EndJobInput,
  PauseJobInput,
  ChangeJobStateInput,
  ProductionByJobInput,
  ProductionByEntInput,
  ProductionRecord,
} from './jobs/jobs.interfaces';
