import { randomUUID } from 'node:crypto';
import { MesError, MesErrorCode } from '@mes/common';

/** 1/0 flag columns of the MES tables, as the API's booleans. */
export const toFlag = (value: boolean): number => (value ? 1 : 0);
export const fromFlag = (value: number | null | undefined): boolean => Number(value ?? 0) !== 0;

/** Who writes and when: the columns every write stamps, plus a new `mod_id`. */
export interface WriteStamp {
  lastEditBy: string;
  lastEditAt: Date;
  modId: string;
}

/** The audit stamp of one write by `userId`; MES stores datetimes with whole seconds. */
export function writeStamp(userId: string, at: Date = new Date()): WriteStamp {
  return {
    lastEditBy: userId,
    lastEditAt: new Date(Math.floor(at.getTime() / 1000) * 1000),
    modId: randomUUID(),
  };
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
