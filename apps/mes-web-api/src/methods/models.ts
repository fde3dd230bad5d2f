import { model, o } from '@mes-web-api/mes-methods';
import { JOB_STATES, jobStateName } from '@mes-web-api/mes-plant';

/*
 * The answer models of the MES methods: JSON members are the MES columns (snake_case), flags are
 * booleans, a datetime column `<col>` is answered as `<col>_utc` (and `<col>_local` with tz_id).
 * Each model writes a database row straight to JSON text.
 */

const lastEdit = {
  last_edit_comment: o.string().nullable(),
  last_edit_by: o.string().nullable(),
  last_edit_at: o.datetime().nullable(),
};

export const EntModel = model('EntModel', {
  ent_id: o.int().example(5),
  ent_name: o.string().example('Filler 1'),
  description: o.string().nullable(),
  parent_ent_id: o.int().nullable().example(3),
  can_sched_jobs: o.flag(),
  can_run_jobs: o.flag(),
  can_capture_util: o.flag(),
  can_capture_labor: o.flag(),
  can_track_oee: o.flag(),
  can_sched_shifts: o.flag(),
  can_store: o.flag(),
  can_log_data: o.flag(),
  can_ship: o.flag(),
  can_receive: o.flag(),
  spare1: o.string().nullable(),
  spare2: o.string().nullable(),
  ...lastEdit,
  mod_id: o
    .string()
    .nullable()
    .describe('Changes on every write; send it back to detect a concurrent change.'),
});

export const EntIdModel = model('EntIdModel', { ent_id: o.int().example(5) });

export const ItemModel = model('ItemModel', {
  item_id: o.string().example('WIDGET-100'),
  item_desc: o.string().nullable(),
  item_class_id: o.string().nullable(),
  uom_id: o.int().nullable(),
  template: o.flag(),
  obsolete: o.flag(),
  purchased: o.flag(),
  sold: o.flag(),
  produced: o.flag(),
  num_decimals: o.int(),
  must_complete_steps: o.flag(),
  must_prod__reqd_qty: o.flag(),
  auto_re_order: o.flag(),
  serial_no_lvl: o.int(),
  inv_unique_by_job: o.flag(),
  spare1: o.string().nullable(),
  spare2: o.string().nullable(),
  ...lastEdit,
  mod_id: o.string().nullable(),
});

export const WoModel = model('WoModel', {
  wo_id: o.string().example('WO-1001'),
  wo_desc: o.string().nullable(),
  item_id: o.string().nullable(),
  process_id: o.string().nullable(),
  req_qty: o.number(),
  priority: o.int(),
  cust_info: o.string().nullable(),
  release_time: o.datetime().nullable().from('release_time_utc'),
  due_time: o.datetime().nullable().from('due_time_utc'),
  notes: o.string().nullable(),
  ...lastEdit,
  mod_id: o.string().nullable(),
});

const jobMembers = {
  wo_id: o.string().example('WO-1001'),
  oper_id: o.string().example('OP20'),
  seq_no: o.int().example(0),
  job_desc: o.string().nullable(),
  item_id: o.string().nullable(),
  state_cd: o.int().oneOf(JOB_STATES),
  state_desc: o
    .string()
    .get((row) => jobStateName(Number(row.state_cd)))
    .example('Running'),
  job_priority: o.int(),
  req_qty: o.number(),
  qty_prod: o.number(),
  qty_reject: o.number(),
  target_ent_id: o.int().nullable(),
  run_ent_id: o.int().nullable(),
  target_sched_start_time: o.datetime().nullable().from('target_sched_start_time_utc'),
  act_start_time: o.datetime().nullable().from('act_start_time_utc'),
  act_finish_time: o.datetime().nullable().from('act_finish_time_utc'),
  spare1: o.string().nullable(),
  ...lastEdit,
};

export const JobModel = model('JobModel', jobMembers);

export const JobChangeModel = model(
  'JobChangeModel',
  {
    ...jobMembers,
    state_cd_before: o.int().describe('state_cd before the call.'),
    ent_id: o
      .int()
      .nullable()
      .describe('The entity running the job now (null when it does not run).'),
    job_pos: o.int().nullable().describe('The job position running the job now.'),
    job_history_id: o.int().describe('The job_history row written by the call.'),
  },
  'The job as it now is, and what the call did.',
);

export const ProductionModel = model(
  'ProductionModel',
  {
    job_history_id: o.int(),
    wo_id: o.string(),
    oper_id: o.string(),
    seq_no: o.int(),
    ent_id: o.int().nullable(),
    ent_name: o.string().nullable(),
    qty_prod: o.number().describe('The quantity this call recorded.'),
    job_qty_prod: o.number().describe('The job’s total job.qty_prod after this call.'),
    user_id: o.string().describe('The acting MES user (also job.last_edit_by).'),
    event_at: o.datetime(),
    job: o.object(JobModel),
  },
  'A recorded production: the job_history row written, and the job after it.',
);

export const UserNameModel = model(
  'UserNameModel',
  {
    user_id: o.string().example('mes\\operator'),
    user_desc: o.string().nullable(),
    active: o.flag().describe('false = deactivated (users are never deleted).'),
    email_address: o.string().nullable(),
    lang_id: o.int().nullable(),
    auth_method: o.int().describe('0 MES native, 1 Windows AD user, 2 Windows AD group.'),
    last_login: o.datetime().nullable(),
    spare1: o.string().nullable(),
    spare2: o.string().nullable(),
    spare3: o.string().nullable(),
    spare4: o.string().nullable(),
    ...lastEdit,
    mod_id: o.string().nullable(),
  },
  'An MES user. Carries no credential of any kind.',
);

export const SystemAttributeModel = model('SystemAttributeModel', {
  attr_id: o.int().example(199),
  attr_desc: o.string().nullable(),
  attr_value: o.string().nullable(),
  grp_id: o.int().nullable(),
  attr_seq: o.int().nullable(),
  edit_type: o.int().nullable(),
  last_edit_by: o.string().nullable(),
  last_edit_at: o.datetime().nullable(),
});

export const ShiftScheduleModel = model('ShiftScheduleModel', {
  shift_sched_id: o.int().example(1),
  ent_id: o.int().example(3),
  pattern_id: o.int().nullable().example(1),
  shift_id: o.int().example(1),
  shift_name: o.string().example('Day'),
  start_offset_min: o.int().example(360).describe('Start, in minutes after local midnight.'),
  duration_min: o.int().example(480),
  days_mask: o.int().example(31).describe('Weekdays: bit 0 = Monday … bit 6 = Sunday.'),
  ...lastEdit,
});

export const ShiftPatternModel = model('ShiftPatternModel', {
  pattern_id: o.int().example(1),
  pattern_name: o.string().example('Two shifts'),
  pattern_desc: o.string().nullable(),
  ...lastEdit,
});
