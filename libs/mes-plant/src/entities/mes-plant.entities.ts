import { Ent } from './ent.entity';
import { Item } from './item.entity';
import { Job } from './job.entity';
import { JobExec } from './job-exec.entity';
import { JobHistory } from './job-history.entity';
import { ShiftPattern } from './shift-pattern.entity';
import { ShiftSched } from './shift-sched.entity';
import { Wo } from './wo.entity';

/** Every entity of the plant lib, listed explicitly (no globs). */
export const MES_PLANT_ENTITIES = [
  Ent,
  Item,
  Wo,
  Job,
  JobExec,
  JobHistory,
  ShiftPattern,
  ShiftSched,
];
