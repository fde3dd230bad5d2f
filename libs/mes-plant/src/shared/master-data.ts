import { randomUUID } from 'node:crypto';
import { MesError, MesErrorCode } from '@mes-web-api/common';

/** 1/0 flag columns of the MES tables, as the API's booleans. */
export const toFlag = (value: boolean): number => (value ? 1 : 0);
export const fromFlag = (value: number | null | undefined): boolean => Number(value ?? 0) !== 0;

/** Who writes and when: the columns every master-data write stamps, plus a new `mod_id`. */
export interface WriteStamp {
  last_edit_by: string;
  last_edit_at: Date;
  mod_id: string;
}

/** `last_edit_at` of a write made now: MES stores datetimes with whole seconds. */
export function stampTime(at: Date = new Date()): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}

/** The audit stamp of one write by `userId`, with a new `mod_id`. */
export function writeStamp(userId: string, at: Date = new Date()): WriteStamp {
  return { last_edit_by: userId, last_edit_at: stampTime(at), mod_id: randomUUID() };
}

/** Who wrote and when, for the tables without a `mod_id` (shift patterns and schedules). */
export type EditStamp = Omit<WriteStamp, 'mod_id'>;

/** The audit stamp of one write by `userId` to a table without a `mod_id`. */
export function editStamp(userId: string, at: Date = new Date()): EditStamp {
  return { last_edit_by: userId, last_edit_at: stampTime(at) };
}

/**
 * A write's statement parameters from several parts (values, stamp, key), a later part winning
 * where two name the same column. `Object.assign`, not `{ ...a, ...b }`: see eslint.config.mjs.
 */
export function writeParams(...parts: object[]): Record<string, unknown> {
  return Object.assign({}, ...parts) as Record<string, unknown>;
}

/** Optimistic concurrency: a `mod_id` sent with an update must still be the stored one. */
export function assertModIdMatches(
  sent: string | undefined,
  stored: string | null,
  what: string,
): void {
  if (sent !== undefined && sent !== stored) {
    throw new MesError(
      MesErrorCode.BusinessRule,
      `${what} was changed by another user since it was read (mod_id does not match); read it again and retry.`,
    );
  }
}
