import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MesDb } from '@mes-web-api/common';
import { createMesDb } from './create-mes-db';
import { DatabaseHealthService } from './database-health.service';
import { DatabaseStartupError } from './database-startup.error';
import { buildDataSourceOptions } from './data-source-options';
import { initializeDataSource } from './initialize-data-source';
import { MesDatabaseOptions } from './interfaces/mes-database-options.interface';
import {
  ConfigurableModuleClass,
  ASYNC_OPTIONS_TYPE,
  MODULE_OPTIONS_TOKEN,
  OPTIONS_TYPE,
} from './mes-database.module-definition';
import { MSSQL_CONNECT_ATTEMPTS, MSSQL_RETRY_DELAY_MS } from './mes-database.constants';

/** Closes the connections MesDb opened (the TypeORM module closes its own). */
@Injectable()
class MesDbCloser implements OnApplicationShutdown {
  constructor(@Inject(MesDb) private readonly db: MesDb) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}

/** Holds the options provider so the TypeORM root module can inject it. */
@Module({})
class MesDatabaseOptionsModule {}

function validate(options: MesDatabaseOptions): void {
  if (options?.type === 'sqlite') {
    if (typeof options.path !== 'string' || options.path.trim() === '') {
      throw new DatabaseStartupError(
        'DB_PATH is empty; set it to a file such as ./data/mes.sqlite.',
      );
    }
    return;
  }
  if (options?.type === 'mssql') {
    if (!options.host)
      throw new DatabaseStartupError('DB_TYPE=mssql needs DB_HOST (the SQL Server host name).');
    if (!options.database)
      throw new DatabaseStartupError('DB_TYPE=mssql needs DB_NAME (the MES database name).');
    return;
  }
  throw new DatabaseStartupError(`DB_TYPE must be sqlite or mssql.`);
}

/** TypeORM root options for the options: migrations on SQLite only, short retry on SQL Server. */
export function toTypeOrmOptions(options: MesDatabaseOptions): TypeOrmModuleOptions {
  validate(options);
  const mssql = options.type === 'mssql';
  return {
    ...buildDataSourceOptions(options),
    retryAttempts: mssql ? MSSQL_CONNECT_ATTEMPTS : 1,
    retryDelay: MSSQL_RETRY_DELAY_MS,
    toRetry: (error: unknown) => error instanceof DatabaseStartupError && error.retryable,
  };
}

/**
 * The MES database connection: TypeORM with every MES entity. SQLite (the embedded default) is
 * checked, migrated and seeded on first start; SQL Server is only connected to. Exports `MesDb`
 * (how the services run their statements) and DatabaseHealthService; the TypeORM DataSource is
 * available app-wide (@InjectDataSource()).
 */
@Module({})
export class MesDatabaseModule extends ConfigurableModuleClass {
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    return MesDatabaseModule.withTypeOrm(super.forRoot(options));
  }

  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return MesDatabaseModule.withTypeOrm(super.forRootAsync(options));
  }

  private static withTypeOrm(base: DynamicModule): DynamicModule {
    const optionsModule: DynamicModule = {
      module: MesDatabaseOptionsModule,
      imports: base.imports ?? [],
      providers: base.providers ?? [],
      exports: [MODULE_OPTIONS_TOKEN],
    };
    return {
      ...base,
      imports: [
        optionsModule,
        TypeOrmModule.forRootAsync({
          imports: [optionsModule],
          inject: [MODULE_OPTIONS_TOKEN],
          useFactory: toTypeOrmOptions,
          dataSourceFactory: (dataSourceOptions?: DataSourceOptions) => {
            if (!dataSourceOptions)
              throw new DatabaseStartupError('No database options were given.');
            return initializeDataSource(dataSourceOptions);
          },
        }),
      ],
      providers: [
        DatabaseHealthService,
        {
          provide: MesDb,
          inject: [getDataSourceToken(), MODULE_OPTIONS_TOKEN],
          useFactory: (dataSource: DataSource, options: MesDatabaseOptions) =>
            createMesDb(dataSource, options),
        },
        MesDbCloser,
      ],
      exports: [DatabaseHealthService, MesDb, optionsModule],
    };
  }
}
