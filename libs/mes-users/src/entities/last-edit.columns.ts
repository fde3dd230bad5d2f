import { Column } from 'typeorm';

/**
 * The audit columns every MES-edited table carries. Writes stamp the acting MES user and the
 * UTC time (SPEC.md section 5). Mapped superclass: not a table of its own.
 */
export abstract class LastEditColumns {
  @Column({ name: 'last_edit_comment', type: 'nvarchar', length: 1000, nullable: true })
  lastEditComment!: string | null;

  @Column({ name: 'last_edit_by', type: 'nvarchar', length: 40, nullable: true })
  lastEditBy!: string | null;

  @Column({ name: 'last_edit_at', type: 'datetime', nullable: true })
  lastEditAt!: Date | null;
}
