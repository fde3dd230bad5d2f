import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * The item columns of the documented V3 Item model (`Mes.WebApi.Models.V3.Prod.Item`) that the
 * first schema lacked, so the API stores what clients send: `template`, `must_complete_steps`,
 * `must_prod__reqd_qty`, `auto_re_order`, `inv_unique_by_job` (1/0 flags) and `serial_no_lvl`
 * (int). The MES database on SQL Server has them; this runs on the embedded SQLite database.
 */
export class DocumentedItemColumns1730000000002 implements MigrationInterface {
  name = 'DocumentedItemColumns1730000000002';

  async up(qr: QueryRunner): Promise<void> {
    const flag = (name: string) =>
      new TableColumn({ name, type: 'int', isNullable: false, default: 0 });
    await qr.addColumns('item', [
      flag('template'),
      flag('must_complete_steps'),
      flag('must_prod__reqd_qty'),
      flag('auto_re_order'),
      new TableColumn({ name: 'serial_no_lvl', type: 'int', isNullable: false, default: 0 }),
      flag('inv_unique_by_job'),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const name of [
      'inv_unique_by_job',
      'serial_no_lvl',
      'auto_re_order',
      'must_prod__reqd_qty',
      'must_complete_steps',
      'template',
    ]) {
      await qr.dropColumn('item', name);
    }
  }
}
