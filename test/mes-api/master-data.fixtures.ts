import { DataSource } from 'typeorm';
import { RunningApi } from '../support/api';

/** Shared helpers of the master-data e2e suites (entity, item, wo, users). */

export const SUPERVISOR = 'mes\\supervisor';
export const OPERATOR = 'mes\\operator';
export const BACKGROUND_USER = 'Default Background User';

export const ACCESS_DENIED = 'You do not have the appropriate privileges to access this entity';
export const NOT_FOUND = 'The specified entity does not exist';

/** Rows of a table straight from the database the API runs on. */
export function rows(
  api: RunningApi,
  sql: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  return api.app.get(DataSource).query<Record<string, unknown>[]>(sql, params);
}

/** A whole table as JSON text, to prove that a refused request changed nothing. */
export async function snapshot(api: RunningApi, table: string, orderBy: string): Promise<string> {
  return JSON.stringify(await rows(api, `select * from "${table}" order by ${orderBy}`));
}

/** Hostile strings and values used by every write suite. */
export const SQL_FRAGMENT = "x'; DROP TABLE ent; --";
export const ONE_MB = 'x'.repeat(1_000_000);

/** The UTC stamp of a write is the second it happened (truncated), not far from now. */
export function expectRecentStamp(utc: unknown, before: number): void {
  expect(typeof utc).toBe('string');
  const at = new Date(utc as string).getTime();
  expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  expect(at).toBeLessThanOrEqual(Date.now());
}
