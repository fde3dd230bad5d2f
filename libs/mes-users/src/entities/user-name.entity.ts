import { Column, Entity, PrimaryColumn } from 'typeorm';
import { LastEditColumns } from './last-edit.columns';

/** `user_name`: one MES user. `active` = 0 deactivates; users are never deleted. */
@Entity({ name: 'user_name' })
export class UserName extends LastEditColumns {
  @PrimaryColumn({ name: 'user_id', type: 'nvarchar', length: 40 })
  userId!: string;

  @Column({ name: 'user_desc', type: 'nvarchar', length: 80, nullable: true })
  userDesc!: string | null;

  /** 1 active, 0 deactivated. */
  @Column({ name: 'active', type: 'int', default: 1 })
  active!: number;

  @Column({ name: 'email_address', type: 'nvarchar', length: 255, nullable: true })
  emailAddress!: string | null;

  @Column({ name: 'lang_id', type: 'int', nullable: true })
  langId!: number | null;

  /** 0 MES native, 1 Windows AD user, 2 Windows AD group. */
  @Column({ name: 'auth_method', type: 'int', default: 0 })
  authMethod!: number;

  @Column({ name: 'last_login', type: 'datetime', nullable: true })
  lastLogin!: Date | null;

  @Column({ name: 'spare1', type: 'nvarchar', length: 80, nullable: true })
  spare1!: string | null;

  @Column({ name: 'spare2', type: 'nvarchar', length: 80, nullable: true })
  spare2!: string | null;

  @Column({ name: 'spare3', type: 'nvarchar', length: 80, nullable: true })
  spare3!: string | null;

  @Column({ name: 'spare4', type: 'nvarchar', length: 80, nullable: true })
  spare4!: string | null;

  @Column({ name: 'mod_id', type: 'nvarchar', length: 36, nullable: true })
  modId!: string | null;
}
