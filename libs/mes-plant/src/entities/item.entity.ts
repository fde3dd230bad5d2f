import { Column, Entity, PrimaryColumn } from 'typeorm';
import { LastEditColumns } from '@mes-web-api/mes-users';

/** `item`: a material (product, intermediate or raw material). Flags are 1/0. */
@Entity({ name: 'item' })
export class Item extends LastEditColumns {
  @PrimaryColumn({ name: 'item_id', type: 'nvarchar', length: 40 })
  itemId!: string;

  @Column({ name: 'item_desc', type: 'nvarchar', length: 80, nullable: true })
  itemDesc!: string | null;

  @Column({ name: 'item_class_id', type: 'nvarchar', length: 40, nullable: true })
  itemClassId!: string | null;

  @Column({ name: 'uom_id', type: 'int', nullable: true })
  uomId!: number | null;

  @Column({ name: 'obsolete', type: 'int', default: 0 })
  obsolete!: number;

  @Column({ name: 'purchased', type: 'int', default: 0 })
  purchased!: number;

  @Column({ name: 'sold', type: 'int', default: 0 })
  sold!: number;

  @Column({ name: 'produced', type: 'int', default: 0 })
  produced!: number;

  @Column({ name: 'num_decimals', type: 'int', default: 0 })
  numDecimals!: number;

  @Column({ name: 'template', type: 'int', default: 0 })
  template!: number;

  @Column({ name: 'must_complete_steps', type: 'int', default: 0 })
  mustCompleteSteps!: number;

  @Column({ name: 'must_prod__reqd_qty', type: 'int', default: 0 })
  mustProdReqdQty!: number;

  @Column({ name: 'auto_re_order', type: 'int', default: 0 })
  autoReOrder!: number;

  @Column({ name: 'serial_no_lvl', type: 'int', default: 0 })
  serialNoLvl!: number;

  @Column({ name: 'inv_unique_by_job', type: 'int', default: 0 })
  invUniqueByJob!: number;

  @Column({ name: 'spare1', type: 'nvarchar', length: 80, nullable: true })
  spare1!: string | null;

  @Column({ name: 'spare2', type: 'nvarchar', length: 80, nullable: true })
  spare2!: string | null;

  @Column({ name: 'mod_id', type: 'nvarchar', length: 36, nullable: true })
  modId!: string | null;
}
