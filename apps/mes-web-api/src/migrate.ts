import {
  buildDataSourceOptions,
  DatabaseStartupError,
  describeDatabase,
  initializeDataSource,
} from '@mes-web-api/mes-database';
import { ConfigError, Env } from './config/env-parsers';
import { DbConfig, loadAppConfig } from './config/app-config';

/*
 * `npm run db:migrate`: applies pending migrations to the configured database and prints what ran.
 * The embedded SQLite database is migrated (and seeded with the demo plant on its first run).
 * SQL Server is refused unless --allow-mssql is given: the production MES database is owned by MES.
 * Even then, the demo seed never writes to SQL Server.
 */

const USAGE = 'Usage: npm run db:migrate [-- --allow-mssql]';

export async function runMigrate(
  args: readonly string[],
  env: Env,
  print: (line: string) => void,
): Promise<number> {
  const unknown = args.filter((a) => a !== '--allow-mssql');
  if (args.includes('--help') || args.includes('-h')) {
    print(USAGE);
    return 0;
  }
  if (unknown.length > 0) {
    print(`Unknown argument ${unknown[0]}. ${USAGE}`);
    return 2;
  }

  let db: DbConfig;
  try {
    db = loadAppConfig(env).db;
  } catch (error) {
    if (error instanceof ConfigError) {
      print(error.message);
      return 2;
    }
    throw error;
  }

  if (db.type === 'mssql' && !args.includes('--allow-mssql')) {
    print(
      `DB_TYPE=mssql: refusing to migrate ${describeDatabase(db)}. The production MES database is owned by MES: ` +
        'its tables are created and changed by the MES installation, never by this API. To create the tables on a ' +
        'test or development SQL Server, run again with --allow-mssql (demo data is never written to SQL Server).',
    );
    return 2;
  }

  print(`Migrating ${describeDatabase(db)} ...`);
  try {
    const dataSource = await initializeDataSource(
      buildDataSourceOptions(db, { migrationsRun: false }),
    );
    try {
      const applied = await dataSource.runMigrations({ transaction: 'all' });
      if (applied.length === 0) {
        print(
          `Database is up to date (${dataSource.migrations.length} migrations already applied).`,
        );
      }
      for (const m of applied) {
        const note =
          db.type === 'mssql' && m.name.startsWith('DemoSeed')
            ? ' (skipped on SQL Server: no demo data)'
            : '';
        print(`applied ${m.name}${note}`);
      }
    } finally {
      await dataSource.destroy();
    }
  } catch (error) {
    if (error instanceof DatabaseStartupError) {
      print(error.message);
    } else {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      const password = db.type === 'mssql' ? db.password : undefined;
      print(`Migration failed: ${password ? message.split(password).join('***') : message}`);
    }
    return 1;
  }
  return 0;
}

if (require.main === module) {
  runMigrate(process.argv.slice(2), process.env, (line) => console.log(line)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
