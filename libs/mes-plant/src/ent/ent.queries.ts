import { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { FreshReadCache, hotReadQuery, ReadRows } from '@mes/common';
import { GrpEntLink, UserGrpLink } from '@mes/mes-users';
import { Ent } from '../entities/ent.entity';
import { toFlag } from '../shared/master-data';

/*
 * The read SQL of the entity service, one builder per query, so the golden spec can render it
 * for the mssql driver without a server. Every value is a bound parameter; column names come
 * from fixed lists, never from the request.
 */

/** The capability flags of `ent`, by property name (columns `can_*`, 1/0). */
export const ENT_FLAGS = [
  'canSchedJobs',
  'canRunJobs',
  'canCaptureUtil',
  'canCaptureLabor',
  'canTrackOee',
  'canSchedShifts',
  'canStore',
  'canLogData',
  'canShip',
  'canReceive',
] as const;
export type EntFlag = (typeof ENT_FLAGS)[number];

/** Column filters of GetAll / GetByFilter; every given member must match. */
export type EntFilter = Partial<
  { entId: number; entName: string; description: string; parentEntId: number } & Record<
    EntFlag,
    boolean
  >
>;

/** Entities one of the user's groups may access (`accss` non-zero), filtered, by id. */
export function entListQuery(
  em: EntityManager,
  userId: string,
  filter: EntFilter = {},
  maxRows?: number,
): SelectQueryBuilder<Ent> {
  const qb = em.createQueryBuilder(Ent, 'e');
  const accessible = qb
    .subQuery()
    .select('1')
    .from(GrpEntLink, 'gel')
    .innerJoin(UserGrpLink, 'ugl', 'ugl.grpId = gel.grpId')
    .where('gel.entId = e.entId')
    .andWhere('ugl.userId = :userId')
    .andWhere('gel.accss <> 0')
    .getQuery();
  qb.where(`EXISTS ${accessible}`, { userId });
  const equal = (property: string, value: unknown): void => {
    if (value !== undefined)
      qb.andWhere(`e.${property} = :f_${property}`, { [`f_${property}`]: value });
  };
  equal('entId', filter.entId);
  equal('entName', filter.entName);
  equal('description', filter.description);
  equal('parentEntId', filter.parentEntId);
  for (const flag of ENT_FLAGS) {
    const value = filter[flag];
    equal(flag, value === undefined ? undefined : toFlag(value));
  }
  qb.orderBy('e.entId', 'ASC');
  if (maxRows !== undefined) qb.limit(maxRows);
  return qb;
}

/**
 * GetByKey, the hot path: one primary-key query without the query-builder cost on every call.
 * The SQL is rendered once by the query builder for the connection's driver, and each row is hydrated column
 * by column through the driver (dates, numbers), exactly as TypeORM would. On SQLite the
 * entities read are kept while the database is unchanged ({@link FreshReadCache}): the same
 * entity is then answered without its query, and is read-only.
 */
export class EntByKeyReader {
  /** The SQL, rendered once for the connection's driver (one bound parameter: the id). */
  readonly sql: string;
  private readonly columns: ReadonlyArray<{ alias: string; column: ColumnMetadata }>;
  private readonly rows: ReadRows;
  private readonly kept: FreshReadCache<number, Readonly<Ent> | null>;
  private readonly load = (entId: number): Readonly<Ent> | null | Promise<Readonly<Ent> | null> => {
    const rows = this.rows([entId]);
    return rows instanceof Promise ? rows.then((r) => this.hydrate(r)) : this.hydrate(rows);
  };

  constructor(private readonly em: EntityManager) {
    // A string stands in for the id while rendering: some drivers inline number literals.
    [this.sql] = em
      .createQueryBuilder(Ent, 'e')
      .where('e.entId = :entId', { entId: 'entId' })
      .getQueryAndParameters();
    this.columns = em.dataSource
      .getMetadata(Ent)
      .columns.map((column) => ({ alias: `e_${column.databaseName}`, column }));
    this.rows = hotReadQuery(
      em.dataSource,
      this.sql,
      this.columns.map((c) => c.alias),
    );
    this.kept = new FreshReadCache(em.dataSource, 2_000);
  }

  /** The entity, or null; synchronously where the driver answers synchronously (SQLite). */
  read(entId: number): Readonly<Ent> | null | Promise<Readonly<Ent> | null> {
    return this.kept.read(entId, this.load);
  }

  private hydrate(rows: unknown[][]): Ent | null {
    if (rows.length === 0) return null;
    const values = rows[0];
    const driver = this.em.dataSource.driver;
    const ent = new Ent();
    const columns = this.columns;
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i].column;
      column.setEntityValue(ent, driver.prepareHydratedValue(values[i], column));
    }
    return ent;
  }
}
