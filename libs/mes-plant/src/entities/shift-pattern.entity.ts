import { Column, Entity, PrimaryColumn } from 'typeorm';
import { LastEditColumns } from '@mes-web-api/mes-users';

/** `shift_pattern`: a named set of shift schedules (e.g. two shifts, Mon–Fri). */
@Entity({ name: 'shift_pattern' })
export class ShiftPattern extends LastEditColumns {
  @PrimaryColumn({ name: 'pattern_id', type: 'int' })
  patternId!: number;

  @Column({ name: 'pattern_name', type: 'nvarchar', length: 40, unique: true })
  patternName!: string;

  @Column({ name: 'pattern_desc', type: 'nvarchar', length: 255, nullable: true })
  patternDesc!: string | null;
}
