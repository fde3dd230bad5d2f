import type { MesCaller } from '../principal';
import { Dialect, SqlType, T } from './statement';

/**
 * Where a statement takes the caller's groups from: `user_grp_link` by `@userId` (OS User mode,
 * service tokens), or `token`: the group ids the token's SIDs matched, bound as `@groups`, a JSON
 * array such as `[3,7]` (OS Group mode).
 */
export type GroupSource = 'user_grp_link' | 'token';

/** The caller's group source: `token` when the principal carries its groups. */
export function groupSourceOf(caller: MesCaller): GroupSource {
  return caller.groups === undefined ? 'user_grp_link' : 'token';
}

/**
 * The SQL condition "`column` is one of the caller's groups", for one dialect and group source:
 * `user_grp_link`: `column IN (SELECT grp_id FROM user_grp_link WHERE user_id = @userId)`;
 * `token`: the ids of the `@groups` JSON array (SQLite `json_each`, SQL Server `OPENJSON`, which
 * needs database compatibility level 130, SQL Server 2016 or later).
 */
export function callerGroupsIn(dialect: Dialect, source: GroupSource, column: string): string {
  if (source === 'user_grp_link') {
    return `${column} IN (SELECT ugl.grp_id FROM user_grp_link ugl WHERE ugl.user_id = @userId)`;
  }
  return dialect === 'mssql'
    ? `${column} IN (SELECT CAST(value AS int) FROM OPENJSON(@groups))`
    : `${column} IN (SELECT value FROM json_each(@groups))`;
}

/**
 * The SQL condition "one of the caller's groups may use entity `entity`" (a column or a
 * parameter): a `grp_ent_link` row with access (`accss <> 0`). The one text of the entity-access
 * check, in the lists (entities, jobs, shift schedules) and the single-entity check.
 */
export function callerMayUseEntity(dialect: Dialect, source: GroupSource, entity: string): string {
  return (
    `EXISTS (SELECT 1 FROM grp_ent_link gel WHERE gel.ent_id = ${entity}` +
    ` AND ${callerGroupsIn(dialect, source, 'gel.grp_id')} AND gel.accss <> 0)`
  );
}

/** The values the caller's groups bind: `{ userId }` or `{ groups }` (see `callerGroupsIn`). */
export interface CallerGroupsParams {
  userId?: string;
  groups?: string;
}

/**
 * The parameter types `callerGroupsIn` needs for a group source. Typed with both members so a
 * statement can declare `CallerGroupsParams`; the object holds only the source's own one (a
 * statement's parameters are the keys present).
 */
export function callerGroupsTypes(
  source: GroupSource,
): Readonly<Record<keyof CallerGroupsParams, SqlType>> {
  return (source === 'user_grp_link' ? USER_TYPES : TOKEN_TYPES) as Readonly<
    Record<keyof CallerGroupsParams, SqlType>
  >;
}
const USER_TYPES = Object.freeze({ userId: T.nvarchar(40) });
const TOKEN_TYPES = Object.freeze({ groups: T.nvarchar('max') });

/** The values to bind for the caller's groups (see `callerGroupsIn`). */
export function callerGroupsValues(caller: MesCaller): CallerGroupsParams {
  return caller.groups === undefined
    ? { userId: caller.userId }
    : { groups: groupsJson(caller.groups) };
}

/** Group arrays are shared by every request of a token (the strategy caches them): text once. */
const jsonOfGroups = new WeakMap<readonly number[], string>();

/**
 * The group ids as the JSON text `@groups` binds, e.g. `[3,7]`; also a key for caches that answer
 * per set of groups. Computed once per array.
 */
export function groupsJson(groups: readonly number[]): string {
  let json = jsonOfGroups.get(groups);
  if (json === undefined) {
    json = JSON.stringify(groups.map(Number));
    jsonOfGroups.set(groups, json);
  }
  return json;
}

/**
 * One statement (or statement family) per group source, each built once, so each text is prepared
 * once: `privilegesOf.for(caller)`. The golden specs render both (see `exportedStatements`).
 */
export class PerGroupSource<T> {
  readonly user_grp_link: T;
  readonly token: T;

  constructor(build: (source: GroupSource) => T) {
    this.user_grp_link = build('user_grp_link');
    this.token = build('token');
  }

  /** The variant for the caller's group source. */
  for(caller: MesCaller): T {
    return caller.groups === undefined ? this.user_grp_link : this.token;
  }
}

/** `perGroupSource((source) => sql(...))`: see PerGroupSource. */
export function perGroupSource<T>(build: (source: GroupSource) => T): PerGroupSource<T> {
  return new PerGroupSource(build);
}

/** The statement-name suffix of the `token` variant (`grp_priv_link.privilegesOf@token`). */
export function groupSourceSuffix(source: GroupSource): string {
  return source === 'token' ? '@token' : '';
}
