import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** `job_history`: one row per job event (start, pause, end, state change). Append-only. */
@Entity({ name: 'job_history' })
@Index('ix_job_history_job', ['woId', 'operId', 'seqNo'])
@Index('ix_job_history_ent_id', ['entId'])
export class JobHistory {
  @PrimaryGeneratedColumn('increment', { name: 'job_history_id', type: 'int' })
  jobHistoryId!: number;

  @Column({ name: 'wo_id', type: 'nvarchar', length: 40 })
  woId!: string;

  @Column({ name: 'oper_id', type: 'nvarchar', length: 40 })
  operId!: string;

  @Column({ name: 'seq_no', type: 'int' })
  seqNo!: number;

  @Column({ name: 'ent_id', type: 'int', nullable: true })
  entId!: number | null;

  @Column({ name: 'state_cd_before', type: 'int', nullable: true })
  stateCdBefore!: number | null;

  @Column({ name: 'state_cd_after', type: 'int', nullable: true })
  stateCdAfter!: number | null;

  /** e.g. Start, End, Pause, ChangeState. */
  @Column({ name: 'event', type: 'nvarchar', length: 40 })
  event!: string;

  @Column({ name: 'qty', type: 'float', nullable: true })
  qty!: number | null;

  @Column({ name: 'comment', type: 'nvarchar', length: 1000, nullable: true })
  comment!: string | null;

  @Column({ name: 'user_id', type: 'nvarchar', length: 40, nullable: true })
  userId!: string | null;

  @Column({ name: 'event_at', type: 'datetime' })
  eventAt!: Date;
}
