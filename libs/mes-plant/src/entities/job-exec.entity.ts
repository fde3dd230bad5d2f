import { Column, Entity, PrimaryColumn } from 'typeorm';
import { LastEditColumns } from '@mes-web-api/mes-users';

/** `job_exec`: a job position of an entity and the job currently on it (cur_* null when idle). */
@Entity({ name: 'job_exec' })
export class JobExec extends LastEditColumns {
  @PrimaryColumn({ name: 'ent_id', type: 'int' })
  entId!: number;

  @PrimaryColumn({ name: 'job_pos', type: 'int' })
  jobPos!: number;

  @Column({ name: 'cur_wo_id', type: 'nvarchar', length: 40, nullable: true })
  curWoId!: string | null;

  @Column({ name: 'cur_oper_id', type: 'nvarchar', length: 40, nullable: true })
  curOperId!: string | null;

  @Column({ name: 'cur_seq_no', type: 'int', nullable: true })
  curSeqNo!: number | null;

  @Column({ name: 'cur_user_id', type: 'nvarchar', length: 40, nullable: true })
  curUserId!: string | null;

  @Column({ name: 'mod_id', type: 'nvarchar', length: 36, nullable: true })
  modId!: string | null;
}
