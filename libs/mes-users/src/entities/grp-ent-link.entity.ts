import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { LastEditColumns } from './last-edit.columns';

/** `grp_ent_link`: whether a group may use an entity (`accss` non-zero). */
@Entity({ name: 'grp_ent_link' })
@Index('ix_grp_ent_link_ent_id', ['entId'])
export class GrpEntLink extends LastEditColumns {
  @PrimaryColumn({ name: 'grp_id', type: 'int' })
  grpId!: number;

  @PrimaryColumn({ name: 'ent_id', type: 'int' })
  entId!: number;

  @Column({ name: 'accss', type: 'int', default: 1 })
  accss!: number;
}
