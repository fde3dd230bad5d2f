import { Injectable } from '@nestjs/common';
import { callerGroupsValues, MesError } from '@mes-web-api/common';
import { EntityAccessService } from '../access/entity-access.service';
import { withConstraintMessages } from '../shared/constraint-error';
import { editStamp, writeParams } from '../shared/master-data';
import { PlantContext } from '../shared/plant-context';
import {
  deleteShiftSched,
  entForShifts,
  insertShiftSched,
  shiftIdTaken,
  shiftPatternByKey,
  shiftSchedByKey,
  ShiftSchedFilterColumn,
  shiftSchedList,
  ShiftSchedRow,
  updateShiftSched,
} from './shifts.sql';

/** Every settable value of a shift schedule (Add and Update replace all of them). */
export interface ShiftScheduleValues {
  ent_id: number;
  pattern_id: number | null;
  shift_id: number;
  shift_name: string;
  /** Minutes after local midnight, 0-1439. */
  start_offset_min: number;
  /** 1-1440 minutes. */
  duration_min: number;
  /** Weekdays, bit 0 = Monday … bit 6 = Sunday, 1-127. */
  days_mask: number;
  last_edit_comment: string | null;
}

/** Filters of GetAll; every given member must match. */
export type ShiftScheduleFilter = Partial<Record<ShiftSchedFilterColumn, number>>;

function duplicateMessage(values: ShiftScheduleValues): string {
  return `Entity ${values.ent_id} already has a shift with shift_id ${values.shift_id}.`;
}

/**
 * Shift schedules (`shift_sched`): recurring shifts on entities that can schedule shifts. Reads
 * are limited to the entities the caller's groups may access; writes stamp `last_edit_by` /
 * `last_edit_at` with the acting MES user.
 */
@Injectable()
export class ShiftScheduleService {
  constructor(private readonly access: EntityAccessService) {}

  /** GetAll: the schedules on accessible entities, by id, at most `maxRows`. */
  list(
    call: PlantContext,
    filter: ShiftScheduleFilter = {},
    maxRows?: number,
  ): Promise<readonly ShiftSchedRow[]> {
    const shape = (['ent_id', 'pattern_id'] as const).filter((c) => filter[c] !== undefined);
    const params: Record<string, unknown> = { maxRows, ...callerGroupsValues(call.principal) };
    for (const column of shape) params[column] = filter[column];
    return Promise.resolve(call.db.all(shiftSchedList.for(call.principal).get(shape), params));
  }

  /** GetByKey: 404 when it does not exist or its entity is not accessible to the caller. */
  async getByKey(call: PlantContext, shiftSchedId: number): Promise<ShiftSchedRow> {
    const [row, accessible] = await Promise.all([
      call.db.get(shiftSchedByKey, { shiftSchedId }),
      this.access.accessibleEntityIds(call.principal, call),
    ]);
    if (!row) throw MesError.entityNotFound({ shift_sched_id: shiftSchedId });
    if (!accessible.has(Number(row.ent_id))) {
      throw MesError.entityAccessDenied({ shift_sched_id: shiftSchedId });
    }
    return row;
  }

  async add(call: PlantContext, values: ShiftScheduleValues): Promise<ShiftSchedRow> {
    await this.checkValues(call, values);
    return withConstraintMessages(
      () =>
        call.write(async (tx) => {
          const inserted = await tx.get(
            insertShiftSched,
            writeParams(values, editStamp(call.userId)),
          );
          return this.mustFind(tx, Number(inserted?.id));
        }),
      {
        unique: duplicateMessage(values),
        reference: `Entity ${values.ent_id} or shift pattern ${String(values.pattern_id)} does not exist.`,
      },
    );
  }

  /** Update: replaces every value of the schedule. */
  async update(
    call: PlantContext,
    shiftSchedId: number,
    values: ShiftScheduleValues,
  ): Promise<ShiftSchedRow> {
    await this.getByKey(call, shiftSchedId);
    await this.checkValues(call, values, shiftSchedId);
    return withConstraintMessages(
      () =>
        call.write(async (tx) => {
          await tx.run(
            updateShiftSched,
            writeParams(values, editStamp(call.userId), { shiftSchedId }),
          );
          return this.mustFind(tx, shiftSchedId);
        }),
      {
        unique: duplicateMessage(values),
        reference: `Entity ${values.ent_id} or shift pattern ${String(values.pattern_id)} does not exist.`,
      },
    );
  }

  async delete(call: PlantContext, shiftSchedId: number): Promise<void> {
    await this.getByKey(call, shiftSchedId);
    await call.write((tx) => tx.run(deleteShiftSched, { shiftSchedId }));
  }

  /**
   * The entity must exist (404), be accessible (404) and be able to schedule shifts (409); the
   * pattern, when given, must exist (409); an entity has each shift id once (409).
   */
  private async checkValues(
    call: PlantContext,
    values: ShiftScheduleValues,
    exceptId = -1,
  ): Promise<void> {
    const ent = await call.db.get(entForShifts, { entId: values.ent_id });
    if (!ent) throw MesError.entityNotFound({ ent_id: values.ent_id });
    await this.access.assertCanAccess(call.principal, values.ent_id, call);
    if (Number(ent.can_sched_shifts) === 0) {
      throw MesError.businessRule(
        `Entity "${ent.ent_name}" (${ent.ent_id}) cannot schedule shifts (can_sched_shifts is 0).`,
      );
    }
    if (
      values.pattern_id !== null &&
      !(await call.db.get(shiftPatternByKey, { patternId: values.pattern_id }))
    ) {
      throw MesError.businessRule(`The shift pattern ${values.pattern_id} does not exist.`);
    }
    const taken = await call.db.get(shiftIdTaken, {
      entId: values.ent_id,
      shiftId: values.shift_id,
      exceptId,
    });
    if (taken) throw MesError.businessRule(duplicateMessage(values));
  }

  private async mustFind(
    session: PlantContext['db'],
    shiftSchedId: number,
  ): Promise<ShiftSchedRow> {
    const row = await session.get(shiftSchedByKey, { shiftSchedId });
    if (!row) throw MesError.entityNotFound({ shift_sched_id: shiftSchedId });
    return row;
  }
}
