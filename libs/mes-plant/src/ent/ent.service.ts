import { Injectable } from '@nestjs/common';
import {
  both,
  callerGroupsValues,
  DbContext,
  DbSession,
  MesError,
  MesErrorCode,
} from '@mes-web-api/common';
import { MesUsersService } from '@mes-web-api/mes-users';
import { EntityAccessService } from '../access/entity-access.service';
import { withConstraintMessages } from '../shared/constraint-error';
import { assertModIdMatches, toFlag, writeParams, writeStamp } from '../shared/master-data';
import { PlantContext } from '../shared/plant-context';
import {
  countChildren,
  countJobsOnEnt,
  countShiftsOnEnt,
  deleteEnt,
  deleteEntLinks,
  deleteJobPositions,
  ENT_FILTER_COLUMNS,
  ENT_FLAGS,
  entByKey,
  EntFilter,
  EntFlag,
  entIdByName,
  entList,
  entNameTaken,
  entParent,
  EntRow,
  grantAccess,
  groupsWithAccess,
  insertEnt,
  updateEnt,
} from './ent.sql';

/** Every settable value of an entity (Add and Update replace all of them). */
export interface EntValues {
  ent_name: string;
  description: string | null;
  parent_ent_id: number | null;
  flags: Readonly<Record<EntFlag, boolean>>;
  spare1: string | null;
  spare2: string | null;
  last_edit_comment: string | null;
}

/** Deepest parent chain walked when checking for cycles. */
const MAX_DEPTH = 1_000;

/**
 * Entities (`ent`): reads limited to the entities the caller's groups may access, writes stamped
 * with the acting MES user. Rows are returned as read (MES column names); on SQLite they may be
 * shared with other callers (kept reads): never change them.
 */
@Injectable()
export class EntService {
  constructor(
    private readonly access: EntityAccessService,
    private readonly users: MesUsersService,
  ) {}

  /** One entity: 404 when it does not exist, 404 "no privileges" when the caller may not use it. */
  async getByKey(call: PlantContext, entId: number): Promise<EntRow> {
    const [row, allowed] = await both(
      call.db.get(entByKey, { entId }),
      this.access.canAccess(call.principal, entId, call),
    );
    if (row === undefined) throw MesError.entityNotFound({ ent_id: entId });
    if (!allowed) throw MesError.entityAccessDenied({ ent_id: entId });
    return row;
  }

  /** The entity, any access (for checks that report their own errors). */
  async find(context: DbContext, entId: number): Promise<EntRow | undefined> {
    return context.db.get(entByKey, { entId });
  }

  /** The accessible entities matching the filter, by id, at most `maxRows`. */
  async list(
    call: PlantContext,
    filter: EntFilter = {},
    maxRows?: number,
  ): Promise<readonly EntRow[]> {
    const shape = ENT_FILTER_COLUMNS.filter((column) => filter[column] !== undefined);
    const params: Record<string, unknown> = { maxRows, ...callerGroupsValues(call.principal) };
    for (const column of shape) {
      const value = filter[column];
      params[column] = typeof value === 'boolean' ? toFlag(value) : value;
    }
    return call.db.all(entList.for(call.principal).get(shape), params);
  }

  /** GetEntID: the id of the entity with this name. */
  async getIdByName(call: PlantContext, entName: string): Promise<number> {
    const row = await call.db.get(entIdByName, { entName });
    if (!row) throw MesError.entityNotFound({ ent_name: entName });
    await this.access.assertCanAccess(call.principal, row.ent_id, call);
    return Number(row.ent_id);
  }

  /**
   * Adds an entity. The new entity is made accessible to the groups of the acting user and to
   * the groups that may use its parent, so its creator (and the parent's users) can see it.
   */
  async add(call: PlantContext, values: EntValues): Promise<EntRow> {
    if (values.parent_ent_id !== null) await this.checkParent(call, values.parent_ent_id);
    await this.checkNameFree(call, values.ent_name);
    const groups = await this.users.groupsOf(call.principal, call);
    const stamp = writeStamp(call.userId);
    return withConstraintMessages(
      () =>
        call.write(async (tx) => {
          const inserted = await tx.get(insertEnt, writeParams(this.columns(values), stamp));
          const entId = Number(inserted?.id);
          const parentGroups =
            values.parent_ent_id === null
              ? []
              : (await tx.all(groupsWithAccess, { entId: values.parent_ent_id })).map((g) =>
                  Number(g.grp_id),
                );
          for (const grpId of [...new Set([...groups, ...parentGroups])]) {
            await tx.run(grantAccess, {
              grpId,
              entId,
              lastEditBy: stamp.last_edit_by,
              lastEditAt: stamp.last_edit_at,
            });
          }
          tx.afterCommit(() => this.access.invalidate());
          return this.mustFind(tx, entId);
        }),
      {
        unique: `An entity named "${values.ent_name}" already exists.`,
        reference: `The parent entity ${String(values.parent_ent_id)} does not exist.`,
      },
    );
  }

  /** Update: replaces every value of the entity. `modId`, when sent, must match the stored one. */
  async update(
    call: PlantContext,
    entId: number,
    values: EntValues,
    modId?: string,
  ): Promise<EntRow> {
    const row = await this.getByKey(call, entId);
    assertModIdMatches(modId, row.mod_id, `Entity ${entId}`);
    if (values.parent_ent_id !== null && values.parent_ent_id !== row.parent_ent_id) {
      await this.checkParent(call, values.parent_ent_id);
      await this.checkNoCycle(call, entId, values.parent_ent_id);
    }
    if (values.ent_name !== row.ent_name) await this.checkNameFree(call, values.ent_name, entId);
    return withConstraintMessages(
      () =>
        call.write(async (tx) => {
          await tx.run(
            updateEnt,
            writeParams(this.columns(values), writeStamp(call.userId), { entId }),
          );
          return this.mustFind(tx, entId);
        }),
      {
        unique: `An entity named "${values.ent_name}" already exists.`,
        reference: `The parent entity ${String(values.parent_ent_id)} does not exist.`,
      },
    );
  }

  /** Deletes an entity that has no child entities, jobs or shift schedules. */
  async delete(call: PlantContext, entId: number): Promise<void> {
    const row = await this.getByKey(call, entId);
    const name = `Entity "${row.ent_name}" (${entId})`;
    const count = async (statement: typeof countChildren): Promise<number> =>
      Number((await call.db.get(statement, { entId }))?.n ?? 0);
    const children = await count(countChildren);
    if (children > 0) {
      throw MesError.businessRule(
        `${name} cannot be deleted: it is the parent of ${children} entit${children === 1 ? 'y' : 'ies'}. Delete or move them first.`,
      );
    }
    const jobs = await count(countJobsOnEnt);
    if (jobs > 0) {
      throw MesError.businessRule(
        `${name} cannot be deleted: ${jobs} job${jobs === 1 ? ' is' : 's are'} scheduled or run on it.`,
      );
    }
    const shifts = await count(countShiftsOnEnt);
    if (shifts > 0) {
      throw MesError.businessRule(
        `${name} cannot be deleted: it has ${shifts} shift schedule${shifts === 1 ? '' : 's'}. Delete them first.`,
      );
    }
    await withConstraintMessages(
      () =>
        call.write(async (tx) => {
          await tx.run(deleteEntLinks, { entId });
          await tx.run(deleteJobPositions, { entId });
          await tx.run(deleteEnt, { entId });
          tx.afterCommit(() => this.access.invalidate());
        }),
      { reference: `${name} cannot be deleted: other MES records still refer to it.` },
    );
  }

  private async mustFind(session: DbSession, entId: number): Promise<EntRow> {
    const row = await session.get(entByKey, { entId });
    if (!row) throw MesError.entityNotFound({ ent_id: entId });
    return row;
  }

  private columns(values: EntValues) {
    const flags = Object.fromEntries(ENT_FLAGS.map((f) => [f, toFlag(values.flags[f])])) as Record<
      EntFlag,
      number
    >;
    return {
      ent_name: values.ent_name,
      description: values.description,
      parent_ent_id: values.parent_ent_id,
      spare1: values.spare1,
      spare2: values.spare2,
      last_edit_comment: values.last_edit_comment,
      ...flags,
    };
  }

  private async checkParent(call: PlantContext, parentEntId: number): Promise<void> {
    const exists = (await call.db.get(entByKey, { entId: parentEntId })) !== undefined;
    if (!exists) throw MesError.businessRule(`The parent entity ${parentEntId} does not exist.`);
    if (!(await this.access.canAccess(call.principal, parentEntId, call))) {
      throw MesError.entityAccessDenied({ parent_ent_id: parentEntId });
    }
  }

  private async checkNameFree(
    call: PlantContext,
    entName: string,
    exceptEntId = -1,
  ): Promise<void> {
    const taken = await call.db.get(entNameTaken, { entName, exceptEntId });
    if (taken) throw MesError.businessRule(`An entity named "${entName}" already exists.`);
  }

  /** The new parent must not be the entity itself or one of its descendants. */
  private async checkNoCycle(
    call: PlantContext,
    entId: number,
    parentEntId: number,
  ): Promise<void> {
    let current: number | null = parentEntId;
    for (let depth = 0; current !== null && depth < MAX_DEPTH; depth++) {
      if (current === entId) {
        throw new MesError(
          MesErrorCode.BusinessRule,
          `Entity ${parentEntId} cannot be the parent of entity ${entId}: it is the entity itself or one of its descendants.`,
        );
      }
      const up: { parent_ent_id: number | null } | undefined = await call.db.get(entParent, {
        entId: current,
      });
      current = up ? up.parent_ent_id : null;
    }
  }
}
