import { Global, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MesDb } from '@mes-web-api/common';
import { createMesDb } from '@mes-web-api/mes-database';

/**
 * `MesDb` over a fixture's own TypeORM SQLite connection: what MesDatabaseModule provides in the
 * app, for fixture apps that build their database with TypeOrmModule directly.
 */
@Global()
@Module({
  providers: [
    {
      provide: MesDb,
      inject: [getDataSourceToken()],
      useFactory: (ds: DataSource) =>
        createMesDb(ds, { type: 'sqlite', path: ds.options.database as string }),
    },
  ],
  exports: [MesDb],
})
export class FixtureMesDbModule {}
