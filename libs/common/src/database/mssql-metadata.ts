import { DataSource, EntityManager, EntitySchema } from 'typeorm';

type EntityList = ReadonlyArray<string | (new () => unknown) | EntitySchema>;

/**
 * An EntityManager of the SQL Server driver with these entities' metadata built and NO
 * connection: query builders render the T-SQL (`getQueryAndParameters()`) that production would
 * send, on machines without SQL Server. Nothing can be executed through it.
 */
export async function mssqlEntityManagerWithoutServer(
  entities: EntityList,
): Promise<EntityManager> {
  const dataSource = new DataSource({
    type: 'mssql',
    host: '127.0.0.1',
    port: 1,
    database: 'MES',
    entities: [...entities],
    synchronize: false,
  });
  // TypeORM builds metadata in initialize(), which would connect; this is the same step alone.
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  return dataSource.manager;
}
