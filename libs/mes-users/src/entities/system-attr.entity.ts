import { Column, Entity, PrimaryColumn } from 'typeorm';
import { LastEditColumns } from './last-edit.columns';

/** `system_attr`: system-wide settings; attr 199 = "User ID for background tasks". */
@Entity({ name: 'system_attr' })
export class SystemAttr extends LastEditColumns {
  @PrimaryColumn({ name: 'attr_id', type: 'int' })
  attrId!: number;

  @Column({ name: 'attr_desc', type: 'nvarchar', length: 80 })
  attrDesc!: string;

  @Column({ name: 'attr_value', type: 'nvarchar', length: 80, nullable: true })
  attrValue!: string | null;

  @Column({ name: 'grp_id', type: 'int', nullable: true })
  grpId!: number | null;

  @Column({ name: 'attr_seq', type: 'int', nullable: true })
  attrSeq!: number | null;

  @Column({ name: 'edit_type', type: 'int', nullable: true })
  editType!: number | null;

  @Column({ name: 'attr_constraints', type: 'nvarchar', length: 255, nullable: true })
  attrConstraints!: string | null;

  @Column({ name: 'reqd_lic', type: 'int', nullable: true })
  reqdLic!: number | null;
}
