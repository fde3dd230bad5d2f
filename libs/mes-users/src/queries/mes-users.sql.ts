import { limit, sql, T, top } from '@mes-web-api/common';

/*
 * The SQL of the users lib: one statement per query, every value bound. The golden spec renders
 * them for SQL Server (queries.golden.spec.ts).
 */

/** A `user_name` row as read here: every column the API may show, never a credential. */
export interface UserNameRow {
  user_id: string;
  user_desc: string | null;
  active: number;
  email_address: string | null;
  lang_id: number | null;
  auth_method: number;
  last_login: string | Date | null;
  spare1: string | null;
  spare2: string | null;
  spare3: string | null;
  spare4: string | null;
  last_edit_comment: string | null;
  last_edit_by: string | null;
  last_edit_at: string | Date | null;
  mod_id: string | null;
}

/**
 * The `user_name` columns the Web API may show. Listed explicitly, so a credential column added
 * to the table later (a password hash, a salt) is never read or returned by accident.
 */
const USER_COLUMNS =
  'user_id, user_desc, active, email_address, lang_id, auth_method, last_login, ' +
  'spare1, spare2, spare3, spare4, last_edit_comment, last_edit_by, last_edit_at, mod_id';

export const userById = sql<UserNameRow, { userId: string }>(
  'user_name.byId',
  `SELECT ${USER_COLUMNS} FROM user_name WHERE user_id = @userId`,
  { userId: T.nvarchar(40) },
);

export const usersList = sql<UserNameRow, { maxRows: number | undefined }>(
  'user_name.list',
  (d) => `SELECT ${top(d)}${USER_COLUMNS} FROM user_name ORDER BY user_id${limit(d)}`,
  { maxRows: T.limit },
);

export const groupsOfUser = sql<{ grp_id: number }, { userId: string }>(
  'user_grp_link.groupsOf',
  'SELECT grp_id FROM user_grp_link WHERE user_id = @userId ORDER BY grp_id',
  { userId: T.nvarchar(40) },
);

/** priv_id → the highest priv_value any of the user's groups grants. */
export const privilegesOfUser = sql<{ priv_id: number; priv_value: number }, { userId: string }>(
  'grp_priv_link.privilegesOf',
  `SELECT gpl.priv_id, MAX(gpl.priv_value) AS priv_value
     FROM grp_priv_link gpl INNER JOIN user_grp_link ugl ON ugl.grp_id = gpl.grp_id
    WHERE ugl.user_id = @userId
    GROUP BY gpl.priv_id`,
  { userId: T.nvarchar(40) },
);

/** The ids of the entities one of the user's groups may use (`accss` non-zero). */
export const accessibleEntityIds = sql<{ ent_id: number }, { userId: string }>(
  'grp_ent_link.accessibleBy',
  `SELECT DISTINCT gel.ent_id
     FROM grp_ent_link gel INNER JOIN user_grp_link ugl ON ugl.grp_id = gel.grp_id
    WHERE ugl.user_id = @userId AND gel.accss <> 0`,
  { userId: T.nvarchar(40) },
);

/** One row when one of the user's groups may use the entity. */
export const canAccessEntity = sql<{ ok: number }, { userId: string; entId: number }>(
  'grp_ent_link.canAccess',
  `SELECT 1 AS ok WHERE EXISTS (
     SELECT 1 FROM grp_ent_link gel INNER JOIN user_grp_link ugl ON ugl.grp_id = gel.grp_id
      WHERE ugl.user_id = @userId AND gel.ent_id = @entId AND gel.accss <> 0)`,
  { userId: T.nvarchar(40), entId: T.int },
);
