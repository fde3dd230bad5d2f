import { Injectable } from '@nestjs/common';
import { MesError } from '@mes-web-api/common';
import { withConstraintMessages } from '../shared/constraint-error';
import { editStamp, writeParams } from '../shared/master-data';
import { PlantContext } from '../shared/plant-context';
import {
  insertShiftPattern,
  nextPatternId,
  patternNameTaken,
  shiftPatternByKey,
  shiftPatternList,
  ShiftPatternRow,
  updateShiftPattern,
} from './shifts.sql';

/** Every settable value of a shift pattern (Add and Update replace all of them). */
export interface ShiftPatternValues {
  pattern_name: string;
  pattern_desc: string | null;
  last_edit_comment: string | null;
}

/**
 * Shift patterns (`shift_pattern`): named sets of shift schedules. Any MES user reads them;
 * writes stamp `last_edit_by` / `last_edit_at`.
 */
@Injectable()
export class ShiftPatternService {
  /** GetAll, by id, at most `maxRows`. */
  list(call: PlantContext, maxRows?: number): Promise<readonly ShiftPatternRow[]> {
    return Promise.resolve(call.db.all(shiftPatternList, { maxRows }));
  }

  /** Add; without `patternId` the next free id (highest + 1) is used. */
  async add(
    call: PlantContext,
    values: ShiftPatternValues,
    patternId?: number,
  ): Promise<ShiftPatternRow> {
    if (patternId !== undefined && (await call.db.get(shiftPatternByKey, { patternId }))) {
      throw MesError.businessRule(`A shift pattern with pattern_id ${patternId} already exists.`);
    }
    await this.checkNameFree(call, values.pattern_name);
    return withConstraintMessages(
      () =>
        call.write(async (tx) => {
          const id = patternId ?? Number((await tx.get(nextPatternId, {}))?.next_id ?? 1);
          await tx.run(
            insertShiftPattern,
            writeParams({ pattern_id: id }, values, editStamp(call.userId)),
          );
          return this.mustFind(tx, id);
        }),
      {
        unique: `A shift pattern with pattern_id ${String(patternId ?? '(next)')} or pattern_name "${values.pattern_name}" already exists.`,
      },
    );
  }

  /** Update: replaces every value of the pattern; 404 when it does not exist. */
  async update(
    call: PlantContext,
    patternId: number,
    values: ShiftPatternValues,
  ): Promise<ShiftPatternRow> {
    await this.mustFind(call.db, patternId);
    await this.checkNameFree(call, values.pattern_name, patternId);
    return withConstraintMessages(
      () =>
        call.write(async (tx) => {
          await tx.run(
            updateShiftPattern,
            writeParams({ pattern_id: patternId }, values, editStamp(call.userId)),
          );
          return this.mustFind(tx, patternId);
        }),
      { unique: `A shift pattern named "${values.pattern_name}" already exists.` },
    );
  }

  private async checkNameFree(
    call: PlantContext,
    patternName: string,
    exceptId = -1,
  ): Promise<void> {
    if (await call.db.get(patternNameTaken, { patternName, exceptId })) {
      throw MesError.businessRule(`A shift pattern named "${patternName}" already exists.`);
    }
  }

  private async mustFind(session: PlantContext['db'], patternId: number): Promise<ShiftPatternRow> {
    const row = await session.get(shiftPatternByKey, { patternId });
    if (!row) throw MesError.entityNotFound({ pattern_id: patternId });
    return row;
  }
}
