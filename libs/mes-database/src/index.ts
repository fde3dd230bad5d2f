export { MesDatabaseModule } from './mes-database.module';
export { DatabaseHealthService } from './database-health.service';
export { DatabaseStartupError } from './database-startup.error';
export {
  buildDataSourceOptions,
  BuildDataSourceOptionsExtras,
  describeDatabase,
  MES_ENTITIES,
} from './data-source-options';
export { initializeDataSource } from './initialize-data-source';
export { checkSqliteFile } from './sqlite-file-check';
export { MES_MIGRATIONS } from './migrations';
export { DIRECT_ACCESS_PRIV_ID } from './migrations/1730000000003-direct-access-privilege';
export { MES_DATABASE_OPTIONS, MES_MIGRATIONS_TABLE } from './mes-database.constants';
export {
  MesDatabaseOptions,
  MesSqliteDatabaseOptions,
  MesMssqlDatabaseOptions,
  DatabaseHealth,
} from './interfaces/mes-database-options.interface';
export { createMesDb, openSqliteConnection, mssqlPoolConfig } from './create-mes-db';
