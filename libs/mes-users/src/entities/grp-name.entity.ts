import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { LastEditColumns } from './last-edit.columns';

/** `grp_name`: a user group; privileges and entity access are granted to groups. */
@Entity({ name: 'grp_name' })
export class GrpName extends LastEditColumns {
  @PrimaryGeneratedColumn('increment', { name: 'grp_id', type: 'int' })
  grpId!: number;

  @Column({ name: 'grp_desc', type: 'nvarchar', length: 80, unique: true })
  grpDesc!: string;

  /** 0 MES native group, 2 Windows AD group (see `sid`). */
  @Column({ name: 'auth_method', type: 'int', default: 0 })
  authMethod!: number;

  /** The AD group SID for AD-group mode. */
  @Column({ name: 'sid', type: 'nvarchar', length: 68, nullable: true })
  sid!: string | null;

  @Column({ name: 'mod_id', type: 'nvarchar', length: 36, nullable: true })
  modId!: string | null;
}
