import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { LastEditColumns } from '@mes-web-api/mes-users';

/**
 * `shift_sched`: a recurring shift on an entity. Starts `start_offset_min` minutes after local
 * midnight, lasts `duration_min`, on the weekdays in `days_mask` (bit 0 = Monday … bit 6 = Sunday;
 * 31 = Mon–Fri, 127 = every day).
 */
@Entity({ name: 'shift_sched' })
@Index('ix_shift_sched_ent_id', ['entId'])
export class ShiftSched extends LastEditColumns {
  @PrimaryGeneratedColumn('increment', { name: 'shift_sched_id', type: 'int' })
  shiftSchedId!: number;

  @Column({ name: 'ent_id', type: 'int' })
  entId!: number;

  @Column({ name: 'pattern_id', type: 'int', nullable: true })
  patternId!: number | null;

  @Column({ name: 'shift_id', type: 'int' })
  shiftId!: number;

  @Column({ name: 'shift_name', type: 'nvarchar', length: 40 })
  shiftName!: string;

  @Column({ name: 'start_offset_min', type: 'int' })
  startOffsetMin!: number;

  @Column({ name: 'duration_min', type: 'int' })
  durationMin!: number;

  @Column({ name: 'days_mask', type: 'int', default: 127 })
  daysMask!: number;
}
