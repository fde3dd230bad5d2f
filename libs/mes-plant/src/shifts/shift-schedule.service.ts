import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager, Not, SelectQueryBuilder } from 'typeorm';
import { MesError, runInTransaction } from '@mes/common';
import { GrpEntLink, MesPrivilege, UserGrpLink } from '@mes/mes-users';
import { EntityAccessService } from '../access/entity-access.service';
import { Ent } from '../entities/ent.entity';
import { ShiftPattern } from '../entities/shift-pattern.entity';
import { ShiftSched } from '../entities/shift-sched.entity';
import { withConstraintMessages } from '../shared/constraint-error';

/** Every settable value of a shift schedule (Add and Update replace all of them). */
export interface ShiftScheduleValues {
  entId: number;
  patternId: number | null;
  shiftId: number;
  shiftName: string;
  /** Minutes after local midnight, 0-1439. */
  startOffsetMin: number;
  /** 1-1440 minutes. */
  durationMin: number;
  /** Weekdays, bit 0 = Monday … bit 6 = Sunday, 1-127. */
  daysMask: number;
  lastEditComment: string | null;
}

/** Filters of GetAll; every given member must match. */
export interface ShiftScheduleFilter {
  entId?: number;
  patternId?: number;
}

/**
 * The schedules on entities one of the user's groups may access (`accss` non-zero), filtered,
 * by id. Every value is a bound parameter (see the T-SQL golden spec).
 */
export function shiftScheduleListQuery(
  em: EntityManager,
  userId: string,
  filter: ShiftScheduleFilter = {},
  maxRows?: number,
): SelectQueryBuilder<ShiftSched> {
  const qb = em.createQueryBuilder(ShiftSched, 's');
  const accessible = qb
    .subQuery()
    .select('1')
    .from(GrpEntLink, 'gel')
    .innerJoin(UserGrpLink, 'ugl', 'ugl.grpId = gel.grpId')
    .where('gel.entId = s.entId')
    .andWhere('ugl.userId = :userId')
    .andWhere('gel.accss <> 0')
    .getQuery();
  qb.where(`EXISTS ${accessible}`, { userId });
  if (filter.entId !== undefined) qb.andWhere('s.entId = :entId', { entId: filter.entId });
  if (filter.patternId !== undefined) {
    qb.andWhere('s.patternId = :patternId', { patternId: filter.patternId });
  }
  qb.orderBy('s.shiftSchedId', 'ASC');
  if (maxRows !== undefined) qb.limit(maxRows);
  return qb;
}

/**
 * Shift schedules (`shift_sched`): recurring shifts on entities that can schedule shifts. Reads
 * are limited to the entities the caller's groups may access; writes need the edit-master-data
 * privilege and stamp `last_edit_by` / `last_edit_at` with the acting MES user.
 */
@Injectable()
export class ShiftScheduleService {
  constructor(
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly access: EntityAccessService,
  ) {}

  /** GetAll: the schedules on accessible entities, by id, at most `maxRows`. */
  list(userId: string, filter: ShiftScheduleFilter = {}, maxRows?: number): Promise<ShiftSched[]> {
    return shiftScheduleListQuery(this.em, userId, filter, maxRows).getMany();
  }

  /** GetByKey: 404 when it does not exist or its entity is not accessible to the caller. */
  async getByKey(userId: string, shiftSchedId: number): Promise<ShiftSched> {
    const [row, accessible] = await Promise.all([
      this.em.findOne(ShiftSched, { where: { shiftSchedId } }),
      this.access.accessibleEntityIds(userId),
    ]);
    if (!row) throw MesError.entityNotFound({ shift_sched_id: shiftSchedId });
    if (!accessible.has(row.entId)) {
      throw MesError.entityAccessDenied({ shift_sched_id: shiftSchedId });
    }
    return row;
  }

  async add(userId: string, values: ShiftScheduleValues): Promise<ShiftSched> {
    await this.access.requirePrivilege(userId, MesPrivilege.EditMasterData);
    await this.checkValues(userId, values);
    const id = await withConstraintMessages(
      async () => {
        const result = await runInTransaction(this.em.dataSource, (tx) =>
          tx.insert(ShiftSched, { ...this.columns(values), ...stamp(userId) }),
        );
        return Number((result.identifiers[0] as { shiftSchedId: number }).shiftSchedId);
      },
      {
        unique: duplicateMessage(values),
        reference: `Entity ${values.entId} or shift pattern ${String(values.patternId)} does not exist.`,
      },
    );
    return this.mustFind(id);
  }

  /** Update: replaces every value of the schedule. */
  async update(
    userId: string,
    shiftSchedId: number,
    values: ShiftScheduleValues,
  ): Promise<ShiftSched> {
    await this.access.requirePrivilege(userId, MesPrivilege.EditMasterData);
    await this.getByKey(userId, shiftSchedId);
    await this.checkValues(userId, values, shiftSchedId);
    await withConstraintMessages(
      () =>
        runInTransaction(this.em.dataSource, (tx) =>
          tx.update(ShiftSched, { shiftSchedId }, { ...this.columns(values), ...stamp(userId) }),
        ),
      {
        unique: duplicateMessage(values),
        reference: `Entity ${values.entId} or shift pattern ${String(values.patternId)} does not exist.`,
      },
    );
    return this.mustFind(shiftSchedId);
  }

  async delete(userId: string, shiftSchedId: number): Promise<void> {
    await this.access.requirePrivilege(userId, MesPrivilege.EditMasterData);
    await this.getByKey(userId, shiftSchedId);
    await runInTransaction(this.em.dataSource, (tx) => tx.delete(ShiftSched, { shiftSchedId }));
  }

  /**
   * The entity must exist (404), be accessible (404) and be able to schedule shifts (409); the
   * pattern, when given, must exist (409); an entity has each shift id once (409).
   */
  private async checkValues(
    userId: string,
    values: ShiftScheduleValues,
    exceptId?: number,
  ): Promise<void> {
    const ent = await this.em.findOne(Ent, {
      select: { entId: true, entName: true, canSchedShifts: true },
      where: { entId: values.entId },
    });
    if (!ent) throw MesError.entityNotFound({ ent_id: values.entId });
    await this.access.assertCanAccess(userId, values.entId);
    if (Number(ent.canSchedShifts) === 0) {
      throw MesError.businessRule(
        `Entity "${ent.entName}" (${ent.entId}) cannot schedule shifts (can_sched_shifts is 0).`,
      );
    }
    if (
      values.patternId !== null &&
      !(await this.em.exists(ShiftPattern, { where: { patternId: values.patternId } }))
    ) {
      throw MesError.businessRule(`The shift pattern ${values.patternId} does not exist.`);
    }
    const taken = await this.em.exists(ShiftSched, {
      where: {
        entId: values.entId,
        shiftId: values.shiftId,
        ...(exceptId === undefined ? {} : { shiftSchedId: Not(exceptId) }),
      },
    });
    if (taken) throw MesError.businessRule(duplicateMessage(values));
  }

  private async mustFind(shiftSchedId: number): Promise<ShiftSched> {
    const row = await this.em.findOne(ShiftSched, { where: { shiftSchedId } });
    if (!row) throw MesError.entityNotFound({ shift_sched_id: shiftSchedId });
    return row;
  }

  private columns(values: ShiftScheduleValues): Partial<ShiftSched> {
    return {
      entId: values.entId,
      patternId: values.patternId,
      shiftId: values.shiftId,
      shiftName: values.shiftName,
      startOffsetMin: values.startOffsetMin,
      durationMin: values.durationMin,
      daysMask: values.daysMask,
      lastEditComment: values.lastEditComment,
    };
  }
}

function duplicateMessage(values: ShiftScheduleValues): string {
  return `Entity ${values.entId} already has a shift with shift_id ${values.shiftId}.`;
}

/** `last_edit_by` / `last_edit_at` of one write (whole seconds, as MES stores them). */
export function stamp(
  userId: string,
  at: Date = new Date(),
): { lastEditBy: string; lastEditAt: Date } {
  return { lastEditBy: userId, lastEditAt: new Date(Math.floor(at.getTime() / 1000) * 1000) };
}
