import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { LastEditColumns } from './last-edit.columns';

/** `grp_priv_link`: a group's value for a privilege; a user's value is the max over their groups. */
@Entity({ name: 'grp_priv_link' })
@Index('ix_grp_priv_link_priv_id', ['privId'])
export class GrpPrivLink extends LastEditColumns {
  @PrimaryColumn({ name: 'grp_id', type: 'int' })
  grpId!: number;

  @PrimaryColumn({ name: 'priv_id', type: 'int' })
  privId!: number;

  @Column({ name: 'priv_value', type: 'int', default: 0 })
  privValue!: number;
}
