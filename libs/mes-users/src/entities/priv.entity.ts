import { Column, Entity, PrimaryColumn } from 'typeorm';
import { LastEditColumns } from './last-edit.columns';

/** `priv`: a privilege definition. */
@Entity({ name: 'priv' })
export class Priv extends LastEditColumns {
  @PrimaryColumn({ name: 'priv_id', type: 'int' })
  privId!: number;

  @Column({ name: 'priv_desc', type: 'nvarchar', length: 80 })
  privDesc!: string;

  @Column({ name: 'priv_grp', type: 'int', nullable: true })
  privGrp!: number | null;

  @Column({ name: 'edit_type', type: 'int', nullable: true })
  editType!: number | null;
}
