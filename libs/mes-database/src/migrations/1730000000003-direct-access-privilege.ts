import { MigrationInterface, QueryRunner } from 'typeorm';

/** `priv.priv_id` of "Direct database access" in the demo data (DIRECT_ACCESS_PRIV_ID's default). */
export const DIRECT_ACCESS_PRIV_ID = 4;

/**
 * Demo data (embedded SQLite only): the privilege DirectAccess needs, "Direct database access",
 * granted to the Supervisors group. On SQL Server the MES owns `priv`: a site picks the privilege
 * with DIRECT_ACCESS_PRIV_ID.
 */
export class DirectAccessPrivilege1730000000003 implements MigrationInterface {
  name = 'DirectAccessPrivilege1730000000003';

  async up(qr: QueryRunner): Promise<void> {
    if (qr.connection.driver.options.type !== 'better-sqlite3') return;
    const seeded = (await qr.query('SELECT COUNT(*) AS n FROM grp_name WHERE grp_id = 1')) as [
      { n: number },
    ];
    if (seeded[0].n === 0) return;
    const at = new Date().toISOString().replace('T', ' ').replace('Z', '');
    await qr.query(
      `INSERT INTO priv (priv_id, priv_desc, priv_grp, edit_type, last_edit_by, last_edit_at)
       VALUES (?, 'Direct database access', 1, 1, 'system', ?)`,
      [DIRECT_ACCESS_PRIV_ID, at],
    );
    await qr.query(
      `INSERT INTO grp_priv_link (grp_id, priv_id, priv_value, last_edit_by, last_edit_at)
       VALUES (1, ?, 1, 'system', ?)`,
      [DIRECT_ACCESS_PRIV_ID, at],
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    if (qr.connection.driver.options.type !== 'better-sqlite3') return;
    await qr.query('DELETE FROM grp_priv_link WHERE priv_id = ?', [DIRECT_ACCESS_PRIV_ID]);
    await qr.query('DELETE FROM priv WHERE priv_id = ?', [DIRECT_ACCESS_PRIV_ID]);
  }
}
