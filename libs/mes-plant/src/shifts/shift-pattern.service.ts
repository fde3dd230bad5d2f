import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager, Not } from 'typeorm';
import { MesError, runInTransaction } from '@mes/common';
import { MesPrivilege } from '@mes/mes-users';
import { EntityAccessService } from '../access/entity-access.service';
import { ShiftPattern } from '../entities/shift-pattern.entity';
import { withConstraintMessages } from '../shared/constraint-error';
import { stamp } from './shift-schedule.service';

/** Every settable value of a shift pattern (Add and Update replace all of them). */
export interface ShiftPatternValues {
  patternName: string;
  patternDesc: string | null;
  lastEditComment: string | null;
}

/**
 * Shift patterns (`shift_pattern`): named sets of shift schedules. Any MES user reads them;
 * writes need the edit-master-data privilege and stamp `last_edit_by` / `last_edit_at`.
 */
@Injectable()
export class ShiftPatternService {
  constructor(
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly access: EntityAccessService,
  ) {}

  /** GetAll, by id, at most `maxRows`. */
  list(maxRows?: number): Promise<ShiftPattern[]> {
    return this.em.find(ShiftPattern, {
      order: { patternId: 'ASC' },
      ...(maxRows === undefined ? {} : { take: maxRows }),
    });
  }

  /** Add; without `patternId` the next free id (highest + 1) is used. */
  async add(userId: string, values: ShiftPatternValues, patternId?: number): Promise<ShiftPattern> {
    await this.access.requirePrivilege(userId, MesPrivilege.EditMasterData);
    if (patternId !== undefined && (await this.em.exists(ShiftPattern, { where: { patternId } }))) {
      throw MesError.businessRule(`A shift pattern with pattern_id ${patternId} already exists.`);
    }
    await this.checkNameFree(values.patternName);
    const id = await withConstraintMessages(
      () =>
        runInTransaction(this.em.dataSource, async (tx) => {
          const newId = patternId ?? (await this.nextId(tx));
          await tx.insert(ShiftPattern, {
            patternId: newId,
            ...this.columns(values),
            ...stamp(userId),
          });
          return newId;
        }),
      {
        unique: `A shift pattern with pattern_id ${String(patternId ?? '(next)')} or pattern_name "${values.patternName}" already exists.`,
      },
    );
    return this.mustFind(id);
  }

  /** Update: replaces every value of the pattern; 404 when it does not exist. */
  async update(
    userId: string,
    patternId: number,
    values: ShiftPatternValues,
  ): Promise<ShiftPattern> {
    await this.access.requirePrivilege(userId, MesPrivilege.EditMasterData);
    await this.mustFind(patternId);
    await this.checkNameFree(values.patternName, patternId);
    await withConstraintMessages(
      () =>
        runInTransaction(this.em.dataSource, (tx) =>
          tx.update(ShiftPattern, { patternId }, { ...this.columns(values), ...stamp(userId) }),
        ),
      { unique: `A shift pattern named "${values.patternName}" already exists.` },
    );
    return this.mustFind(patternId);
  }

  private async checkNameFree(patternName: string, exceptId?: number): Promise<void> {
    const taken = await this.em.exists(ShiftPattern, {
      where: exceptId === undefined ? { patternName } : { patternName, patternId: Not(exceptId) },
    });
    if (taken)
      throw MesError.businessRule(`A shift pattern named "${patternName}" already exists.`);
  }

  private async nextId(tx: EntityManager): Promise<number> {
    const row = await tx
      .createQueryBuilder(ShiftPattern, 'p')
      .select('MAX(p.patternId)', 'max')
      .getRawOne<{ max: number | string | null }>();
    return Number(row?.max ?? 0) + 1;
  }

  private async mustFind(patternId: number): Promise<ShiftPattern> {
    const row = await this.em.findOne(ShiftPattern, { where: { patternId } });
    if (!row) throw MesError.entityNotFound({ pattern_id: patternId });
    return row;
  }

  private columns(values: ShiftPatternValues): Partial<ShiftPattern> {
    return {
      patternName: values.patternName,
      patternDesc: values.patternDesc,
      lastEditComment: values.lastEditComment,
    };
  }
}
