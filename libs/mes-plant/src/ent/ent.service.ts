import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager, Not } from 'typeorm';
import { MesError, MesErrorCode, runInTransaction } from '@mes/common';
import { GrpEntLink, MesPrivilege, MesUsersService } from '@mes/mes-users';
import { EntityAccessService } from '../access/entity-access.service';
import { Ent } from '../entities/ent.entity';
import { Job } from '../entities/job.entity';
import { JobExec } from '../entities/job-exec.entity';
import { ShiftSched } from '../entities/shift-sched.entity';
import { withConstraintMessages } from '../shared/constraint-error';
import { ENT_FLAGS, EntByKeyReader, EntFilter, EntFlag, entListQuery } from './ent.queries';
import { assertModIdMatches, toFlag, writeStamp } from '../shared/master-data';

/** Every settable value of an entity (Add and Update replace all of them). */
export interface EntValues {
  entName: string;
  description: string | null;
  parentEntId: number | null;
  flags: Readonly<Record<EntFlag, boolean>>;
  spare1: string | null;
  spare2: string | null;
  lastEditComment: string | null;
}

/** Deepest parent chain walked when checking for cycles. */
const MAX_DEPTH = 1_000;

/**
 * Entities (`ent`): reads limited to the entities the caller's groups may access, writes with
 * the edit-master-data privilege, every write stamped with the acting MES user.
 */
@Injectable()
export class EntService {
  private readonly byKey: EntByKeyReader;

  constructor(
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly access: EntityAccessService,
    private readonly users: MesUsersService,
  ) {
    this.byKey = new EntByKeyReader(em);
  }

  /**
   * One entity: a primary-key query and the cached access check, side by side. With a cached
   * grant and a synchronous driver (SQLite), the warm path awaits nothing. The entity is
   * read-only: on SQLite it may be the one kept for every caller while the database is unchanged.
   */
  async getByKey(userId: string, entId: number): Promise<Readonly<Ent>> {
    if (this.access.canAccessNow(userId, entId)) {
      const row = this.byKey.read(entId);
      return existing(row instanceof Promise ? await row : row, entId);
    }
    const [row, allowed] = await Promise.all([
      this.findRow(entId),
      this.access.canAccess(userId, entId),
    ]);
    const found = existing(row, entId);
    if (!allowed) throw MesError.entityAccessDenied({ ent_id: entId });
    return found;
  }

  /** The accessible entities matching the filter, by id, at most `maxRows`. */
  list(userId: string, filter: EntFilter = {}, maxRows?: number): Promise<Ent[]> {
    return entListQuery(this.em, userId, filter, maxRows).getMany();
  }

  /** GetEntID: the id of the entity with this name. */
  async getIdByName(userId: string, entName: string): Promise<number> {
    const row = await this.em
      .createQueryBuilder(Ent, 'e')
      .select('e.entId')
      .where('e.entName = :entName', { entName })
      .getOne();
    if (!row) throw MesError.entityNotFound({ ent_name: entName });
    await this.access.assertCanAccess(userId, row.entId);
    return row.entId;
  }

  /**
   * Adds an entity. The new entity is made accessible to the groups of the acting user and to
   * the groups that may use its parent, so its creator (and the parent's users) can see it.
   */
  async add(userId: string, values: EntValues): Promise<Readonly<Ent>> {
    await this.access.requirePrivilege(userId, MesPrivilege.EditMasterData);
    if (values.parentEntId !== null) await this.checkParent(userId, values.parentEntId);
    await this.checkNameFree(values.entName);
    const groups = await this.users.groupsOf(userId);
    const stamp = writeStamp(userId);
    const entId = await withConstraintMessages(
      () =>
        runInTransaction(this.em.dataSource, async (tx) => {
          const result = await tx.insert(Ent, { ...this.columns(values), ...stamp });
          const id = Number((result.identifiers[0] as { entId: number }).entId);
          const parentGroups =
            values.parentEntId === null
              ? []
              : (
                  await tx.find(GrpEntLink, {
                    select: { grpId: true, accss: true },
                    where: { entId: values.parentEntId },
                  })
                )
                  .filter((l) => Number(l.accss) !== 0)
                  .map((l) => l.grpId);
          const grpIds = [...new Set([...groups, ...parentGroups])];
          if (grpIds.length > 0) {
            await tx.insert(
              GrpEntLink,
              grpIds.map((grpId) => ({
                grpId,
                entId: id,
                accss: 1,
                lastEditBy: stamp.lastEditBy,
                lastEditAt: stamp.lastEditAt,
              })),
            );
          }
          return id;
        }),
      {
        unique: `An entity named "${values.entName}" already exists.`,
        reference: `The parent entity ${String(values.parentEntId)} does not exist.`,
      },
    );
    this.access.invalidate();
    return this.mustFind(entId);
  }

  /** Update: replaces every value of the entity. `modId`, when sent, must match the stored one. */
  async update(
    userId: string,
    entId: number,
    values: EntValues,
    modId?: string,
  ): Promise<Readonly<Ent>> {
    await this.access.requirePrivilege(userId, MesPrivilege.EditMasterData);
    const row = await this.getByKey(userId, entId);
    assertModIdMatches(modId, row.modId, `Entity ${entId}`);
    if (values.parentEntId !== null && values.parentEntId !== row.parentEntId) {
      await this.checkParent(userId, values.parentEntId);
      await this.checkNoCycle(entId, values.parentEntId);
    }
    if (values.entName !== row.entName) await this.checkNameFree(values.entName, entId);
    await withConstraintMessages(
      () =>
        runInTransaction(this.em.dataSource, (tx) =>
          tx.update(Ent, { entId }, { ...this.columns(values), ...writeStamp(userId) }),
        ),
      {
        unique: `An entity named "${values.entName}" already exists.`,
        reference: `The parent entity ${String(values.parentEntId)} does not exist.`,
      },
    );
    return this.mustFind(entId);
  }

  /** Deletes an entity that has no child entities, jobs or shift schedules. */
  async delete(userId: string, entId: number): Promise<void> {
    await this.access.requirePrivilege(userId, MesPrivilege.EditMasterData);
    const row = await this.getByKey(userId, entId);
    const name = `Entity "${row.entName}" (${entId})`;
    const children = await this.em.count(Ent, { where: { parentEntId: entId } });
    if (children > 0) {
      throw MesError.businessRule(
        `${name} cannot be deleted: it is the parent of ${children} entit${children === 1 ? 'y' : 'ies'}. Delete or move them first.`,
      );
    }
    const jobs = await this.em.count(Job, {
      where: [{ targetEntId: entId }, { runEntId: entId }],
    });
    if (jobs > 0) {
      throw MesError.businessRule(
        `${name} cannot be deleted: ${jobs} job${jobs === 1 ? ' is' : 's are'} scheduled or run on it.`,
      );
    }
    const shifts = await this.em.count(ShiftSched, { where: { entId } });
    if (shifts > 0) {
      throw MesError.businessRule(
        `${name} cannot be deleted: it has ${shifts} shift schedule${shifts === 1 ? '' : 's'}. Delete them first.`,
      );
    }
    await withConstraintMessages(
      () =>
        runInTransaction(this.em.dataSource, async (tx) => {
          await tx.delete(GrpEntLink, { entId });
          await tx.delete(JobExec, { entId });
          await tx.delete(Ent, { entId });
        }),
      { reference: `${name} cannot be deleted: other MES records still refer to it.` },
    );
    this.access.invalidate();
  }

  private async findRow(entId: number): Promise<Readonly<Ent> | null> {
    return this.byKey.read(entId);
  }

  private async mustFind(entId: number): Promise<Readonly<Ent>> {
    return existing(await this.findRow(entId), entId);
  }

  private columns(values: EntValues): Partial<Ent> {
    const flags = Object.fromEntries(ENT_FLAGS.map((f) => [f, toFlag(values.flags[f])])) as Record<
      EntFlag,
      number
    >;
    return {
      entName: values.entName,
      description: values.description,
      parentEntId: values.parentEntId,
      spare1: values.spare1,
      spare2: values.spare2,
      lastEditComment: values.lastEditComment,
      ...flags,
    };
  }

  private async checkParent(userId: string, parentEntId: number): Promise<void> {
    const exists = await this.em.exists(Ent, { where: { entId: parentEntId } });
    if (!exists) throw MesError.businessRule(`The parent entity ${parentEntId} does not exist.`);
    if (!(await this.access.canAccess(userId, parentEntId))) {
      throw MesError.entityAccessDenied({ parent_ent_id: parentEntId });
    }
  }

  private async checkNameFree(entName: string, exceptEntId?: number): Promise<void> {
    const taken = await this.em.exists(Ent, {
      where: exceptEntId === undefined ? { entName } : { entName, entId: Not(exceptEntId) },
    });
    if (taken) throw MesError.businessRule(`An entity named "${entName}" already exists.`);
  }

  /** The new parent must not be the entity itself or one of its descendants. */
  private async checkNoCycle(entId: number, parentEntId: number): Promise<void> {
    let current: number | null = parentEntId;
    for (let depth = 0; current !== null && depth < MAX_DEPTH; depth++) {
      if (current === entId) {
        throw new MesError(
          MesErrorCode.BusinessRule,
          `Entity ${parentEntId} cannot be the parent of entity ${entId}: it is the entity itself or one of its descendants.`,
        );
      }
      const up: Ent | null = await this.em.findOne(Ent, {
        select: { entId: true, parentEntId: true },
        where: { entId: current },
      });
      current = up ? up.parentEntId : null;
    }
  }
}

/** The row, or ENTITY_NOT_FOUND (404). */
function existing(row: Readonly<Ent> | null, entId: number): Readonly<Ent> {
  if (!row) throw MesError.entityNotFound({ ent_id: entId });
  return row;
}
