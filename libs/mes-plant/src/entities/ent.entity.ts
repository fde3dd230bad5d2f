import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { LastEditColumns } from '@mes-web-api/mes-users';

/** `ent`: a plant entity (site, area, line, machine …) with its capability flags (1/0). */
@Entity({ name: 'ent' })
@Index('ix_ent_parent_ent_id', ['parentEntId'])
export class Ent extends LastEditColumns {
  @PrimaryGeneratedColumn('increment', { name: 'ent_id', type: 'int' })
  entId!: number;

  @Column({ name: 'ent_name', type: 'nvarchar', length: 40, unique: true })
  entName!: string;

  @Column({ name: 'description', type: 'nvarchar', length: 255, nullable: true })
  description!: string | null;

  @Column({ name: 'parent_ent_id', type: 'int', nullable: true })
  parentEntId!: number | null;

  @Column({ name: 'can_sched_jobs', type: 'int', default: 0 })
  canSchedJobs!: number;

  @Column({ name: 'can_run_jobs', type: 'int', default: 0 })
  canRunJobs!: number;

  @Column({ name: 'can_capture_util', type: 'int', default: 0 })
  canCaptureUtil!: number;

  @Column({ name: 'can_capture_labor', type: 'int', default: 0 })
  canCaptureLabor!: number;

  @Column({ name: 'can_track_oee', type: 'int', default: 0 })
  canTrackOee!: number;

  @Column({ name: 'can_sched_shifts', type: 'int', default: 0 })
  canSchedShifts!: number;

  @Column({ name: 'can_store', type: 'int', default: 0 })
  canStore!: number;

  @Column({ name: 'can_log_data', type: 'int', default: 0 })
  canLogData!: number;

  @Column({ name: 'can_ship', type: 'int', default: 0 })
  canShip!: number;

  @Column({ name: 'can_receive', type: 'int', default: 0 })
  canReceive!: number;

  @Column({ name: 'spare1', type: 'nvarchar', length: 80, nullable: true })
  spare1!: string | null;

  @Column({ name: 'spare2', type: 'nvarchar', length: 80, nullable: true })
  spare2!: string | null;

  @Column({ name: 'mod_id', type: 'nvarchar', length: 36, nullable: true })
  modId!: string | null;
}
