import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager } from 'typeorm';
import { MesError, runInTransaction } from '@mes/common';
import { MesPrivilege } from '@mes/mes-users';
import { EntityAccessService } from '../access/entity-access.service';
import { Item } from '../entities/item.entity';
import { Wo } from '../entities/wo.entity';
import { withConstraintMessages } from '../shared/constraint-error';
import { writeStamp } from '../shared/master-data';

/** The values of a new work order. */
export interface WoValues {
  woId: string;
  woDesc: string | null;
  itemId: string;
  processId: string | null;
  reqQty: number;
  priority: number;
  custInfo: string | null;
  releaseTimeUtc: Date | null;
  dueTimeUtc: Date | null;
  notes: string | null;
  lastEditComment: string | null;
}

/** Column filters of GetAll / GetByFilter; every given member must match. */
export interface WoFilter {
  woId?: string;
  itemId?: string;
  processId?: string;
  priority?: number;
  custInfo?: string;
}

const FILTER_COLUMNS = ['woId', 'itemId', 'processId', 'priority', 'custInfo'] as const;

/** Work orders (`wo`): readable by every MES user, added with the edit-master-data privilege. */
@Injectable()
export class WoService {
  constructor(
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly access: EntityAccessService,
  ) {}

  async list(filter: WoFilter = {}, maxRows?: number): Promise<Wo[]> {
    const qb = this.em.createQueryBuilder(Wo, 'w');
    for (const column of FILTER_COLUMNS) {
      const value = filter[column];
      if (value !== undefined) qb.andWhere(`w.${column} = :${column}`, { [column]: value });
    }
    qb.orderBy('w.woId', 'ASC');
    if (maxRows !== undefined) qb.limit(maxRows);
    return qb.getMany();
  }

  async getByKey(woId: string): Promise<Wo> {
    const row = await this.em
      .createQueryBuilder(Wo, 'w')
      .where('w.woId = :woId', { woId })
      .getOne();
    if (!row) throw MesError.entityNotFound({ wo_id: woId });
    return row;
  }

  async add(userId: string, values: WoValues): Promise<Wo> {
    await this.access.requirePrivilege(userId, MesPrivilege.EditMasterData);
    const duplicate = `A work order with wo_id "${values.woId}" already exists.`;
    if (await this.em.exists(Wo, { where: { woId: values.woId } })) {
      throw MesError.businessRule(duplicate);
    }
    if (!(await this.em.exists(Item, { where: { itemId: values.itemId } }))) {
      throw MesError.businessRule(`Item "${values.itemId}" does not exist.`);
    }
    if (
      values.releaseTimeUtc !== null &&
      values.dueTimeUtc !== null &&
      values.dueTimeUtc.getTime() < values.releaseTimeUtc.getTime()
    ) {
      throw MesError.validation('due_time_utc must not be before release_time_utc.', [
        'due_time_utc must not be before release_time_utc',
      ]);
    }
    await withConstraintMessages(
      () =>
        runInTransaction(this.em.dataSource, (tx) =>
          tx.insert(Wo, { ...values, ...writeStamp(userId) }),
        ),
      {
        unique: duplicate,
        reference: `Item "${values.itemId}" does not exist.`,
      },
    );
    return this.getByKey(values.woId);
  }
}
