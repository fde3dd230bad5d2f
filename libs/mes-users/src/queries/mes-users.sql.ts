import {
  callerGroupsIn,
  callerMayUseEntity,
  CallerGroupsParams,
  callerGroupsTypes,
  groupSourceSuffix,
  limit,
  perGroupSource,
  sql,
  T,
  top,
} from '@mes-web-api/common';

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

/** priv_id → the highest priv_value any of the caller's groups grants. */
export const privilegesOfCaller = perGroupSource((source) =>
  sql<{ priv_id: number; priv_value: number }, CallerGroupsParams>(
    `grp_priv_link.privilegesOf${groupSourceSuffix(source)}`,
    (d) =>
      `SELECT gpl.priv_id, MAX(gpl.priv_value) AS priv_value
         FROM grp_priv_link gpl
        WHERE ${callerGroupsIn(d, source, 'gpl.grp_id')}
        GROUP BY gpl.priv_id`,
    callerGroupsTypes(source),
  ),
);

/** The ids of the entities one of the caller's groups may use (`accss` non-zero). */
export const accessibleEntityIds = perGroupSource((source) =>
  sql<{ ent_id: number }, CallerGroupsParams>(
    `grp_ent_link.accessibleBy${groupSourceSuffix(source)}`,
    (d) =>
      `SELECT DISTINCT gel.ent_id
         FROM grp_ent_link gel
        WHERE ${callerGroupsIn(d, source, 'gel.grp_id')} AND gel.accss <> 0`,
    callerGroupsTypes(source),
  ),
);

/** One row when one of the caller's groups may use the entity. */
export const canAccessEntity = perGroupSource((source) =>
  sql<{ ok: number }, CallerGroupsParams & { entId: number }>(
    `grp_ent_link.canAccess${groupSourceSuffix(source)}`,
    (d) => `SELECT 1 AS ok WHERE ${callerMayUseEntity(d, source, '@entId')}`,
    { ...callerGroupsTypes(source), entId: T.int },
  ),
);

/** `grp_name.auth_method` of a Windows AD group (OS Group mode). */
export const AUTH_METHOD_AD_GROUP = 2;

/**
 * OS Group mode: the MES groups whose `sid` is one of `@sids` (a JSON array of SID strings) and
 * whose `auth_method` is 2 (Windows AD group), by id. SQLite compares SIDs without case, as SQL
 * Server's usual collation does.
 */
export const groupsWithSids = sql<{ grp_id: number }, { sids: string }>(
  'grp_name.bySids',
  (d) =>
    d === 'mssql'
      ? `SELECT grp_id FROM grp_name
          WHERE auth_method = ${AUTH_METHOD_AD_GROUP}
            AND sid IN (SELECT CAST(value AS nvarchar(68)) FROM OPENJSON(@sids))
          ORDER BY grp_id`
      : `SELECT grp_id FROM grp_name
          WHERE auth_method = ${AUTH_METHOD_AD_GROUP}
            AND sid COLLATE NOCASE IN (SELECT value FROM json_each(@sids))
          ORDER BY grp_id`,
  { sids: T.nvarchar('max') },
);

/** The values of a `user_name` row created at first login (OS Group mode). */
export interface GroupUserParams {
  userId: string;
  lastEditComment: string;
  lastEditAt: Date;
  modId: string;
}

/**
 * OS Group mode, first login: creates the active MES user (`auth_method` 2) unless it exists.
 * On SQL Server the existence check takes a key-range lock (UPDLOCK, HOLDLOCK), so two instances
 * creating the same user at once do not both insert; a duplicate key is still tolerated by the
 * caller. The user stamps its own row.
 */
export const insertGroupUser = sql<never, GroupUserParams>(
  'user_name.insertGroupUser',
  (d) =>
    `INSERT INTO user_name (user_id, active, auth_method, last_edit_comment, last_edit_by, last_edit_at, mod_id)
     SELECT @userId, 1, ${AUTH_METHOD_AD_GROUP}, @lastEditComment, @userId, @lastEditAt, @modId
      WHERE NOT EXISTS (SELECT 1 FROM user_name${d === 'mssql' ? ' WITH (UPDLOCK, HOLDLOCK)' : ''} WHERE user_id = @userId)`,
  {
    userId: T.nvarchar(40),
    lastEditComment: T.nvarchar(1000),
    lastEditAt: T.datetime,
    modId: T.nvarchar(36),
  },
);
