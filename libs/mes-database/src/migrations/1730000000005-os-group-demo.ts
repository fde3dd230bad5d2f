import { MigrationInterface, QueryRunner } from 'typeorm';

/** The demo AD group SIDs (the development authority's `role` claim, OS Group security). */
const SID_PREFIX = 'S-1-5-21-3623811015-3361044348-30300820';
export const DEMO_GROUP_SIDS = Object.freeze({
  operators: `${SID_PREFIX}-1101`,
  supervisors: `${SID_PREFIX}-1102`,
});

/** `grp_name.auth_method` of a Windows AD group. */
const AD_GROUP = 2;

/** The AD groups: each mirrors the privileges and entity access of an MES native group. */
const AD_GROUPS = [
  { desc: 'AD Supervisors', sid: DEMO_GROUP_SIDS.supervisors, mirrors: 'Supervisors' },
  { desc: 'AD Operators', sid: DEMO_GROUP_SIDS.operators, mirrors: 'Operators' },
] as const;

/**
 * Demo data (embedded SQLite only) for OS Group security (MES_SECURITY_MODE=os-group): two MES
 * groups that are Windows AD groups (`auth_method` 2, `sid` = the AD group's SID), "AD
 * Supervisors" and "AD Operators", with the privileges and entity access of Supervisors and
 * Operators. No user is linked to them (`user_grp_link`): in OS Group mode a user's groups are
 * the ones its token's SIDs name. OS User mode ignores them, so its demo behaviour is unchanged.
 *
 * `grp_name.sid` is nvarchar(68), as in the MES schema (files made before that declared 184;
 * SQLite does not enforce lengths, so they behave the same).
 */
export class OsGroupDemo1730000000005 implements MigrationInterface {
  name = 'OsGroupDemo1730000000005';

  async up(qr: QueryRunner): Promise<void> {
    if (qr.connection.driver.options.type !== 'better-sqlite3') return;
    const at = new Date().toISOString().replace('T', ' ').replace('Z', '');
    for (const group of AD_GROUPS) {
      const mirrored = await this.groupId(qr, group.mirrors);
      if (mirrored === undefined || (await this.groupId(qr, group.desc)) !== undefined) continue;
      await qr.query(
        `INSERT INTO grp_name (grp_desc, auth_method, sid, last_edit_by, last_edit_at)
         VALUES (?, ?, ?, 'system', ?)`,
        [group.desc, AD_GROUP, group.sid, at],
      );
      const grpId = (await this.groupId(qr, group.desc)) as number;
      await qr.query(
        `INSERT INTO grp_priv_link (grp_id, priv_id, priv_value, last_edit_by, last_edit_at)
         SELECT ?, priv_id, priv_value, 'system', ? FROM grp_priv_link WHERE grp_id = ?`,
        [grpId, at, mirrored],
      );
      await qr.query(
        `INSERT INTO grp_ent_link (grp_id, ent_id, accss, last_edit_by, last_edit_at)
         SELECT ?, ent_id, accss, 'system', ? FROM grp_ent_link WHERE grp_id = ?`,
        [grpId, at, mirrored],
      );
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    if (qr.connection.driver.options.type !== 'better-sqlite3') return;
    for (const group of AD_GROUPS) {
      // grp_priv_link and grp_ent_link rows go with the group (ON DELETE CASCADE).
      await qr.query('DELETE FROM grp_name WHERE grp_desc = ? AND sid = ?', [
        group.desc,
        group.sid,
      ]);
    }
  }

  private async groupId(qr: QueryRunner, desc: string): Promise<number | undefined> {
    const rows = (await qr.query('SELECT grp_id FROM grp_name WHERE grp_desc = ?', [desc])) as {
      grp_id: number;
    }[];
    return rows.length === 0 ? undefined : Number(rows[0].grp_id);
  }
}
