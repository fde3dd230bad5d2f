import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager } from 'typeorm';
import { MesError, runInTransaction } from '@mes/common';
import { MesPrivilege } from '@mes/mes-users';
import { EntityAccessService } from '../access/entity-access.service';
import { Item } from '../entities/item.entity';
import { Job } from '../entities/job.entity';
import { Wo } from '../entities/wo.entity';
import { withConstraintMessages } from '../shared/constraint-error';
import { assertModIdMatches, toFlag, writeStamp } from '../shared/master-data';

/** Every settable value of an item (Add and Update replace all of them). */
export interface ItemValues {
  itemDesc: string;
  itemClassId: string;
  uomId: number;
  obsolete: boolean;
  purchased: boolean;
  sold: boolean;
  produced: boolean;
  numDecimals: number;
  spare1: string | null;
  spare2: string | null;
  lastEditComment: string | null;
}

/** Column filters of GetAll; every given member must match. */
export interface ItemFilter {
  itemClassId?: string;
  obsolete?: boolean;
  purchased?: boolean;
  sold?: boolean;
  produced?: boolean;
}

const FLAGS = ['obsolete', 'purchased', 'sold', 'produced'] as const;

/** Items (`item`): readable by every MES user, changed with the edit-master-data privilege. */
@Injectable()
export class ItemService {
  constructor(
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly access: EntityAccessService,
  ) {}

  async list(filter: ItemFilter = {}, maxRows?: number): Promise<Item[]> {
    const qb = this.em.createQueryBuilder(Item, 'i');
    if (filter.itemClassId !== undefined) {
      qb.andWhere('i.itemClassId = :itemClassId', { itemClassId: filter.itemClassId });
    }
    for (const flag of FLAGS) {
      const value = filter[flag];
      if (value !== undefined) qb.andWhere(`i.${flag} = :${flag}`, { [flag]: toFlag(value) });
    }
    qb.orderBy('i.itemId', 'ASC');
    if (maxRows !== undefined) qb.limit(maxRows);
    return qb.getMany();
  }

  async getByKey(itemId: string): Promise<Item> {
    const row = await this.findRow(itemId);
    if (!row) throw MesError.entityNotFound({ item_id: itemId });
    return row;
  }

  async add(userId: string, itemId: string, values: ItemValues): Promise<Item> {
    await this.access.requirePrivilege(userId, MesPrivilege.EditMasterData);
    const duplicate = `An item with item_id "${itemId}" already exists.`;
    if (await this.em.exists(Item, { where: { itemId } })) throw MesError.businessRule(duplicate);
    await withConstraintMessages(
      () =>
        runInTransaction(this.em.dataSource, (tx) =>
          tx.insert(Item, { itemId, ...this.columns(values), ...writeStamp(userId) }),
        ),
      { unique: duplicate },
    );
    return this.getByKey(itemId);
  }

  /** Update: replaces every value. `modId`, when sent, must match the stored one. */
  async update(userId: string, itemId: string, values: ItemValues, modId?: string): Promise<Item> {
    return this.updateSpecific(userId, itemId, values, modId);
  }

  /** UpdateSpecific: changes only the values given. */
  async updateSpecific(
    userId: string,
    itemId: string,
    values: Partial<ItemValues>,
    modId?: string,
  ): Promise<Item> {
    await this.access.requirePrivilege(userId, MesPrivilege.EditMasterData);
    const row = await this.getByKey(itemId);
    assertModIdMatches(modId, row.modId, `Item "${itemId}"`);
    await runInTransaction(this.em.dataSource, (tx) =>
      tx.update(Item, { itemId }, { ...this.columns(values), ...writeStamp(userId) }),
    );
    return this.getByKey(itemId);
  }

  /** Deletes an item no work order or job uses. */
  async delete(userId: string, itemId: string): Promise<void> {
    await this.access.requirePrivilege(userId, MesPrivilege.EditMasterData);
    await this.getByKey(itemId);
    const orders = await this.em.count(Wo, { where: { itemId } });
    const jobs = await this.em.count(Job, { where: { itemId } });
    if (orders + jobs > 0) {
      throw MesError.businessRule(
        `Item "${itemId}" cannot be deleted: it is used by ${orders} work order${orders === 1 ? '' : 's'} and ${jobs} job${jobs === 1 ? '' : 's'}.`,
      );
    }
    await withConstraintMessages(
      () => runInTransaction(this.em.dataSource, (tx) => tx.delete(Item, { itemId })),
      {
        reference: `Item "${itemId}" cannot be deleted: other MES records still refer to it.`,
      },
    );
  }

  private findRow(itemId: string): Promise<Item | null> {
    return this.em.createQueryBuilder(Item, 'i').where('i.itemId = :itemId', { itemId }).getOne();
  }

  /** The columns of the values given (undefined members are left out). */
  private columns(values: Partial<ItemValues>): Partial<Item> {
    const columns: Partial<Item> = {};
    if (values.itemDesc !== undefined) columns.itemDesc = values.itemDesc;
    if (values.itemClassId !== undefined) columns.itemClassId = values.itemClassId;
    if (values.uomId !== undefined) columns.uomId = values.uomId;
    if (values.numDecimals !== undefined) columns.numDecimals = values.numDecimals;
    if (values.spare1 !== undefined) columns.spare1 = values.spare1;
    if (values.spare2 !== undefined) columns.spare2 = values.spare2;
    if (values.lastEditComment !== undefined) columns.lastEditComment = values.lastEditComment;
    for (const flag of FLAGS) {
      const value = values[flag];
      if (value !== undefined) columns[flag] = toFlag(value);
    }
    return columns;
  }
}
