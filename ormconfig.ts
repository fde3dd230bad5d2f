import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '@mes-web-api/mes-database';

/*
 * TypeORM CLI data source for the embedded database (DB_PATH, default ./data/mes.sqlite), e.g.
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register \
 *     node_modules/typeorm/cli.js -d ormconfig.ts migration:show
 * Migrations run only when asked (`npm run db:migrate` is the usual way). The production SQL
 * Server database is owned by MES and is never configured here.
 */
export default new DataSource(
  buildDataSourceOptions(
    { type: 'sqlite', path: process.env.DB_PATH?.trim() || './data/mes.sqlite' },
    { migrationsRun: false },
  ),
);
