import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Demo data for the embedded SQLite database (development only; never applied on SQL Server).
 * All rows carry last_edit_by = 'system' and last_edit_at = the seed time.
 *
 * Users (user_name)            active  groups
 *   Default Background User    1       1 Supervisors   (system_attr 199 points to it)
 *   mes\operator               1       2 Operators
 *   mes\supervisor             1       1 Supervisors
 *   mes\former                 0       2 Operators     (deactivated)
 * Privileges (priv / grp_priv_link, priv_value 1)
 *   1 Edit system attributes, 2 Edit master data, 3 Run jobs
 *   Supervisors: 1, 2, 3        Operators: 3
 * Entity access (grp_ent_link)
 *   Supervisors: every entity (1-8)   Operators: 3-7 (accss 1); 8 Quality Lab listed with accss 0
 * System attributes (system_attr)
 *   100 Plant name = Demo Site; 105 Default language ID = 1033;
 *   110 Days to keep job history = 90; 120 Allow job start on entities without a shift = 1;
 *   199 User ID for background tasks = Default Background User
 * Plant (ent)                      parent  flags
 *   1 Demo Site                    -       site
 *   2 Packaging Area               1
 *   3 Line 1                       2       can_sched_shifts, can_track_oee
 *   4 Line 2                       2       can_sched_shifts, can_track_oee
 *   5 Filler 1                     3       can_run_jobs, can_sched_jobs, can_capture_util
 *   6 Labeler 1                    3       can_run_jobs, can_capture_util
 *   7 Filler 2                     4       can_run_jobs, can_sched_jobs
 *   8 Quality Lab                  1       can_run_jobs (operators have no access)
 * Items: WIDGET-100 (produced, sold), WIDGET-200 (produced, sold), RAW-STEEL (purchased)
 * Work order WO-1001: item WIDGET-100, req_qty 1000; jobs (wo_id, oper_id, seq_no):
 *   WO-1001/OP10/0  4 Completed   ran on 5, qty_prod 1000
 *   WO-1001/OP20/0  3 Running     on 5 (job_exec ent 5 / job_pos 0), qty_prod 350
 *   WO-1001/OP30/0  2 Ready       target 6
 *   WO-1001/OP40/0  1 New         target 7
 *   WO-1001/OP50/0  5 Suspended   ran on 6, qty_prod 120 (job_exec 6/0 is idle)
 * job_exec: job_pos 0 on every entity that can run jobs (5, 6, 7, 8); only 5 has a current job.
 * Shift patterns: 1 Two shifts (Line 1: Day 06:00-14:00, Late 14:00-22:00, Mon-Fri);
 *                 2 Around the clock (Line 2: Night 22:00, Morning 06:00, Afternoon 14:00, daily).
 */

export const SEED_USER = 'system';

type Row = Record<string, string | number | Date | null>;

function sqliteDatetime(d: Date): string {
  // The format TypeORM's SQLite driver writes for datetime columns (UTC).
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Inserts rows with bound parameters; `stamp` adds last_edit_by/last_edit_at. SQLite only. */
async function insert(qr: QueryRunner, table: string, rows: Row[], stamp?: Date): Promise<void> {
  for (const row of rows) {
    const full: Row = stamp ? { ...row, last_edit_by: SEED_USER, last_edit_at: stamp } : row;
    const cols = Object.keys(full);
    const sql = `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols
      .map(() => '?')
      .join(', ')})`;
    const params = cols.map((c) => {
      const v = full[c];
      return v instanceof Date ? sqliteDatetime(v) : v;
    });
    await qr.query(sql, params);
  }
}

export class DemoSeed1730000000001 implements MigrationInterface {
  name = 'DemoSeed1730000000001';

  async up(qr: QueryRunner): Promise<void> {
    // The production MES database is owned by MES: never seed anything but the embedded SQLite.
    if (qr.connection.driver.options.type !== 'better-sqlite3') return;

    const now = new Date();
    const ago = (hours: number) => new Date(now.getTime() - hours * 3600_000);
    const ahead = (hours: number) => new Date(now.getTime() + hours * 3600_000);

    await insert(
      qr,
      'user_name',
      [
        {
          user_id: 'Default Background User',
          user_desc: 'Default background user for service calls',
          active: 1,
        },
        { user_id: 'mes\\operator', user_desc: 'Demo operator', active: 1, auth_method: 1 },
        { user_id: 'mes\\supervisor', user_desc: 'Demo supervisor', active: 1, auth_method: 1 },
        {
          user_id: 'mes\\former',
          user_desc: 'Former employee (deactivated)',
          active: 0,
          auth_method: 1,
        },
      ],
      now,
    );
    await insert(
      qr,
      'grp_name',
      [
        { grp_id: 1, grp_desc: 'Supervisors' },
        { grp_id: 2, grp_desc: 'Operators' },
      ],
      now,
    );
    await insert(
      qr,
      'user_grp_link',
      [
        { grp_id: 1, user_id: 'Default Background User' },
        { grp_id: 1, user_id: 'mes\\supervisor' },
        { grp_id: 2, user_id: 'mes\\operator' },
        { grp_id: 2, user_id: 'mes\\former' },
      ],
      now,
    );
    await insert(
      qr,
      'priv',
      [
        { priv_id: 1, priv_desc: 'Edit system attributes', priv_grp: 1, edit_type: 1 },
        { priv_id: 2, priv_desc: 'Edit master data', priv_grp: 1, edit_type: 1 },
        { priv_id: 3, priv_desc: 'Run jobs', priv_grp: 2, edit_type: 1 },
      ],
      now,
    );
    await insert(
      qr,
      'grp_priv_link',
      [
        { grp_id: 1, priv_id: 1, priv_value: 1 },
        { grp_id: 1, priv_id: 2, priv_value: 1 },
        { grp_id: 1, priv_id: 3, priv_value: 1 },
        { grp_id: 2, priv_id: 3, priv_value: 1 },
      ],
      now,
    );
    await insert(
      qr,
      'system_attr',
      [
        {
          attr_id: 100,
          attr_desc: 'Plant name',
          attr_value: 'Demo Site',
          grp_id: 1,
          attr_seq: 1,
          edit_type: 1,
        },
        {
          attr_id: 105,
          attr_desc: 'Default language ID',
          attr_value: '1033',
          grp_id: 1,
          attr_seq: 2,
          edit_type: 1,
        },
        {
          attr_id: 110,
          attr_desc: 'Days to keep job history',
          attr_value: '90',
          grp_id: 2,
          attr_seq: 1,
          edit_type: 1,
        },
        {
          attr_id: 120,
          attr_desc: 'Allow job start on entities without a shift',
          attr_value: '1',
          grp_id: 2,
          attr_seq: 2,
          edit_type: 2,
          attr_constraints: '0,1',
        },
        {
          attr_id: 199,
          attr_desc: 'User ID for background tasks',
          attr_value: 'Default Background User',
          grp_id: 3,
          attr_seq: 1,
          edit_type: 1,
        },
      ],
      now,
    );
    const ent = (
      ent_id: number,
      ent_name: string,
      description: string,
      parent_ent_id: number | null,
      flags: Record<string, number> = {},
    ): Row => ({ ent_id, ent_name, description, parent_ent_id, ...flags });
    await insert(
      qr,
      'ent',
      [
        ent(1, 'Demo Site', 'Demo manufacturing site', null),
        ent(2, 'Packaging Area', 'Packaging area', 1),
        ent(3, 'Line 1', 'Packaging line 1', 2, { can_sched_shifts: 1, can_track_oee: 1 }),
        ent(4, 'Line 2', 'Packaging line 2', 2, { can_sched_shifts: 1, can_track_oee: 1 }),
        ent(5, 'Filler 1', 'Filler on line 1', 3, {
          can_run_jobs: 1,
          can_sched_jobs: 1,
          can_capture_util: 1,
        }),
        ent(6, 'Labeler 1', 'Labeler on line 1', 3, { can_run_jobs: 1, can_capture_util: 1 }),
        ent(7, 'Filler 2', 'Filler on line 2', 4, { can_run_jobs: 1, can_sched_jobs: 1 }),
        ent(8, 'Quality Lab', 'Quality laboratory', 1, { can_run_jobs: 1, can_log_data: 1 }),
      ],
      now,
    );
    await insert(
      qr,
      'grp_ent_link',
      [
        ...[1, 2, 3, 4, 5, 6, 7, 8].map((ent_id) => ({ grp_id: 1, ent_id, accss: 1 })),
        ...[3, 4, 5, 6, 7].map((ent_id) => ({ grp_id: 2, ent_id, accss: 1 })),
        { grp_id: 2, ent_id: 8, accss: 0 },
      ],
      now,
    );
    await insert(
      qr,
      'item',
      [
        {
          item_id: 'WIDGET-100',
          item_desc: 'Widget 100',
          item_class_id: 'FINISHED',
          produced: 1,
          sold: 1,
        },
        {
          item_id: 'WIDGET-200',
          item_desc: 'Widget 200',
          item_class_id: 'FINISHED',
          produced: 1,
          sold: 1,
        },
        {
          item_id: 'RAW-STEEL',
          item_desc: 'Steel sheet',
          item_class_id: 'RAW',
          purchased: 1,
          num_decimals: 2,
        },
      ],
      now,
    );
    await insert(
      qr,
      'wo',
      [
        {
          wo_id: 'WO-1001',
          wo_desc: 'Demo order for Widget 100',
          item_id: 'WIDGET-100',
          req_qty: 1000,
          priority: 1,
          release_time_utc: ago(24),
          due_time_utc: ahead(48),
        },
      ],
      now,
    );
    const job = (oper_id: string, state_cd: number, extra: Row): Row => ({
      wo_id: 'WO-1001',
      oper_id,
      seq_no: 0,
      item_id: 'WIDGET-100',
      state_cd,
      req_qty: 1000,
      ...extra,
    });
    await insert(
      qr,
      'job',
      [
        job('OP10', 4, {
          job_desc: 'Fill',
          target_ent_id: 5,
          run_ent_id: 5,
          qty_prod: 1000,
          act_start_time_utc: ago(6),
          act_finish_time_utc: ago(3),
        }),
        job('OP20', 3, {
          job_desc: 'Cap',
          target_ent_id: 5,
          run_ent_id: 5,
          qty_prod: 350,
          act_start_time_utc: ago(2),
        }),
        job('OP30', 2, {
          job_desc: 'Label',
          target_ent_id: 6,
          target_sched_start_time_utc: ahead(2),
        }),
        job('OP40', 1, {
          job_desc: 'Pack',
          target_ent_id: 7,
          target_sched_start_time_utc: ahead(6),
        }),
        job('OP50', 5, {
          job_desc: 'Rework labels',
          target_ent_id: 6,
          run_ent_id: 6,
          qty_prod: 120,
          act_start_time_utc: ago(4),
        }),
      ],
      now,
    );
    await insert(
      qr,
      'job_exec',
      [
        {
          ent_id: 5,
          job_pos: 0,
          cur_wo_id: 'WO-1001',
          cur_oper_id: 'OP20',
          cur_seq_no: 0,
          cur_user_id: 'mes\\operator',
        },
        { ent_id: 6, job_pos: 0 },
        { ent_id: 7, job_pos: 0 },
        { ent_id: 8, job_pos: 0 },
      ],
      now,
    );
    const hist = (
      oper_id: string,
      ent_id: number,
      before: number,
      after: number,
      event: string,
      at: Date,
      qty: number | null = null,
    ): Row => ({
      wo_id: 'WO-1001',
      oper_id,
      seq_no: 0,
      ent_id,
      state_cd_before: before,
      state_cd_after: after,
      event,
      qty,
      user_id: 'mes\\operator',
      event_at: at,
    });
    await insert(qr, 'job_history', [
      hist('OP10', 5, 2, 3, 'Start', ago(6)),
      hist('OP10', 5, 3, 4, 'End', ago(3), 1000),
      hist('OP50', 6, 2, 3, 'Start', ago(4)),
      hist('OP50', 6, 3, 5, 'Pause', ago(3), 120),
      hist('OP20', 5, 2, 3, 'Start', ago(2)),
    ]);
    await insert(
      qr,
      'shift_pattern',
      [
        {
          pattern_id: 1,
          pattern_name: 'Two shifts',
          pattern_desc: 'Day and late shift, Monday to Friday',
        },
        {
          pattern_id: 2,
          pattern_name: 'Around the clock',
          pattern_desc: 'Three 8-hour shifts, every day',
        },
      ],
      now,
    );
    const MON_FRI = 31;
    const EVERY_DAY = 127;
    await insert(
      qr,
      'shift_sched',
      [
        {
          ent_id: 3,
          pattern_id: 1,
          shift_id: 1,
          shift_name: 'Day',
          start_offset_min: 360,
          duration_min: 480,
          days_mask: MON_FRI,
        },
        {
          ent_id: 3,
          pattern_id: 1,
          shift_id: 2,
          shift_name: 'Late',
          start_offset_min: 840,
          duration_min: 480,
          days_mask: MON_FRI,
        },
        {
          ent_id: 4,
          pattern_id: 2,
          shift_id: 1,
          shift_name: 'Night',
          start_offset_min: 1320,
          duration_min: 480,
          days_mask: EVERY_DAY,
        },
        {
          ent_id: 4,
          pattern_id: 2,
          shift_id: 2,
          shift_name: 'Morning',
          start_offset_min: 360,
          duration_min: 480,
          days_mask: EVERY_DAY,
        },
        {
          ent_id: 4,
          pattern_id: 2,
          shift_id: 3,
          shift_name: 'Afternoon',
          start_offset_min: 840,
          duration_min: 480,
          days_mask: EVERY_DAY,
        },
      ],
      now,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    if (qr.connection.driver.options.type !== 'better-sqlite3') return;
    await qr.query(`DELETE FROM "job_history" WHERE "wo_id" = ?`, ['WO-1001']);
    for (const table of [
      'shift_sched',
      'shift_pattern',
      'job_exec',
      'job',
      'wo',
      'item',
      'grp_ent_link',
      'ent',
      'system_attr',
      'grp_priv_link',
      'priv',
      'user_grp_link',
      'grp_name',
      'user_name',
    ]) {
      await qr.query(`DELETE FROM "${table}" WHERE "last_edit_by" = ?`, [SEED_USER]);
    }
  }
}
