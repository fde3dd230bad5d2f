import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { LastEditColumns } from '@mes-web-api/mes-users';

/** `wo`: a work order; its operations are `job` rows. Times are UTC. */
@Entity({ name: 'wo' })
@Index('ix_wo_item_id', ['itemId'])
export class Wo extends LastEditColumns {
  @PrimaryColumn({ name: 'wo_id', type: 'nvarchar', length: 40 })
  woId!: string;

  @Column({ name: 'wo_desc', type: 'nvarchar', length: 80, nullable: true })
  woDesc!: string | null;

  @Column({ name: 'item_id', type: 'nvarchar', length: 40, nullable: true })
  itemId!: string | null;

  @Column({ name: 'process_id', type: 'nvarchar', length: 40, nullable: true })
  processId!: string | null;

  @Column({ name: 'req_qty', type: 'float', default: 0 })
  reqQty!: number;

  @Column({ name: 'priority', type: 'int', default: 0 })
  priority!: number;

  @Column({ name: 'cust_info', type: 'nvarchar', length: 80, nullable: true })
  custInfo!: string | null;

  @Column({ name: 'release_time_utc', type: 'datetime', nullable: true })
  releaseTimeUtc!: Date | null;

  @Column({ name: 'due_time_utc', type: 'datetime', nullable: true })
  dueTimeUtc!: Date | null;

  @Column({ name: 'notes', type: 'nvarchar', length: 1000, nullable: true })
  notes!: string | null;

  @Column({ name: 'mod_id', type: 'nvarchar', length: 36, nullable: true })
  modId!: string | null;
}
