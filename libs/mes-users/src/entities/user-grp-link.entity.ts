import { Entity, Index, PrimaryColumn } from 'typeorm';
import { LastEditColumns } from './last-edit.columns';

/** `user_grp_link`: group membership. */
@Entity({ name: 'user_grp_link' })
@Index('ix_user_grp_link_user_id', ['userId'])
export class UserGrpLink extends LastEditColumns {
  @PrimaryColumn({ name: 'grp_id', type: 'int' })
  grpId!: number;

  @PrimaryColumn({ name: 'user_id', type: 'nvarchar', length: 40 })
  userId!: string;
}
