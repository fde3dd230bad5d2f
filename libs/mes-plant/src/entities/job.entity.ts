import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { LastEditColumns } from '@mes-web-api/mes-users';

/**
 * `job`: one operation of a work order, key (wo_id, oper_id, seq_no).
 * state_cd: 1 New, 2 Ready, 3 Running, 4 Completed, 5 Suspended, 6 On Hold, 7 Canceled.
 * `target_ent_id` is where it is scheduled; `run_ent_id` where it runs or ran. Times are UTC.
 */
@Entity({ name: 'job' })
@Index('ix_job_run_ent_id_state_cd', ['runEntId', 'stateCd'])
@Index('ix_job_target_ent_id_state_cd', ['targetEntId', 'stateCd'])
export class Job extends LastEditColumns {
  @PrimaryColumn({ name: 'wo_id', type: 'nvarchar', length: 40 })
  woId!: string;

  @PrimaryColumn({ name: 'oper_id', type: 'nvarchar', length: 40 })
  operId!: string;

  @PrimaryColumn({ name: 'seq_no', type: 'int' })
  seqNo!: number;

  @Column({ name: 'job_desc', type: 'nvarchar', length: 80, nullable: true })
  jobDesc!: string | null;

  @Column({ name: 'item_id', type: 'nvarchar', length: 40, nullable: true })
  itemId!: string | null;

  @Column({ name: 'state_cd', type: 'int', default: 1 })
  stateCd!: number;

  @Column({ name: 'job_priority', type: 'int', default: 0 })
  jobPriority!: number;

  @Column({ name: 'req_qty', type: 'float', default: 0 })
  reqQty!: number;

  @Column({ name: 'qty_prod', type: 'float', default: 0 })
  qtyProd!: number;

  @Column({ name: 'qty_reject', type: 'float', default: 0 })
  qtyReject!: number;

  @Column({ name: 'target_ent_id', type: 'int', nullable: true })
  targetEntId!: number | null;

  @Column({ name: 'run_ent_id', type: 'int', nullable: true })
  runEntId!: number | null;

  @Column({ name: 'target_sched_start_time_utc', type: 'datetime', nullable: true })
  targetSchedStartTimeUtc!: Date | null;

  @Column({ name: 'act_start_time_utc', type: 'datetime', nullable: true })
  actStartTimeUtc!: Date | null;

  @Column({ name: 'act_finish_time_utc', type: 'datetime', nullable: true })
  actFinishTimeUtc!: Date | null;

  @Column({ name: 'spare1', type: 'nvarchar', length: 80, nullable: true })
  spare1!: string | null;

  @Column({ name: 'mod_id', type: 'nvarchar', length: 36, nullable: true })
  modId!: string | null;
}
