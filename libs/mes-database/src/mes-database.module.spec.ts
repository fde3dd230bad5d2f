import { Injectable, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { ConfigurableModuleAsyncOptions } from '@nestjs/common';
import { DatabaseHealthService } from './database-health.service';
import { MesDatabaseOptions } from './interfaces/mes-database-options.interface';
import { MesDatabaseModule } from './mes-database.module';
import { MES_MIGRATIONS_TABLE } from './mes-database.constants';
import { tempDir } from './__fixtures__/temp-db';

const SEEDED_COUNTS: Record<string, number> = {
  user_name: 4,
  grp_name: 4,
  user_grp_link: 4,
  priv: 4,
  grp_priv_link: 10,
  grp_ent_link: 28,
  system_attr: 5,
  ent: 8,
  item: 3,
  wo: 1,
  job: 5,
  job_exec: 4,
  job_history: 5,
  shift_pattern: 2,
  shift_sched: 5,
};

async function boot(options: MesDatabaseOptions): Promise<TestingModule> {
  return Test.createTestingModule({ imports: [MesDatabaseModule.forRoot(options)] }).compile();
}

async function counts(ds: DataSource): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of Object.keys(SEEDED_COUNTS)) {
    const [row] = await ds.query(`SELECT count(*) AS n FROM "${table}"`);
    result[table] = Number(row.n);
  }
  return result;
}

describe('MesDatabaseModule on SQLite', () => {
  const tmp = tempDir();
  // a directory that does not exist yet: the module creates it
  const dbPath = path.join(tmp.dir, 'nested', 'data', 'mes.sqlite');
  afterAll(() => tmp.cleanup());

  it('creates the directory, migrates and seeds on first start, in WAL mode', async () => {
    const app = await boot({ type: 'sqlite', path: dbPath });
    try {
      const ds = app.get(DataSource);
      expect(fs.existsSync(dbPath)).toBe(true);
      expect(await counts(ds)).toEqual(SEEDED_COUNTS);
      expect(await ds.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await ds.query('PRAGMA busy_timeout')).toEqual([{ timeout: 5000 }]);
      const applied = await ds.query(`SELECT name FROM "${MES_MIGRATIONS_TABLE}" ORDER BY id`);
      expect(applied.map((r: { name: string }) => r.name)).toEqual([
        'InitialSchema1730000000000',
        'DemoSeed1730000000001',
        'DocumentedItemColumns1730000000002',
        'DirectAccessPrivilege1730000000003',
        'IdempotencyKeys1730000000004',
        'OsGroupDemo1730000000005',
      ]);
      const [attr] = await ds.query(
        `SELECT attr_value, last_edit_by FROM system_attr WHERE attr_id = 199`,
      );
      expect(attr).toEqual({ attr_value: 'Default Background User', last_edit_by: 'system' });
    } finally {
      await app.close();
    }
  });

  it("prepares a statement once while more distinct texts than TypeORM's default cache (100) are in use", async () => {
    const app = await boot({ type: 'sqlite', path: dbPath });
    try {
      const ds = app.get(DataSource);
      // TypeORM's SQLite driver writes numbers into the SQL text: one text per entity id.
      const read = (id: number) =>
        ds
          .createQueryBuilder()
          .select('1', 'one')
          .from('ent', 'e')
          .where('e.ent_id = :id', { id })
          .getRawMany();
      const connection = (
        ds.driver as unknown as { databaseConnection: { prepare(sql: string): unknown } }
      ).databaseConnection;
      const prepare = jest.spyOn(connection, 'prepare');
      for (let round = 0; round < 2; round++) for (let id = 1; id <= 300; id++) await read(id);
      expect(prepare).toHaveBeenCalledTimes(300);
    } finally {
      await app.close();
    }
  });

  it('creates tables whose columns match the entity metadata exactly', async () => {
    const app = await boot({ type: 'sqlite', path: dbPath });
    try {
      const ds = app.get(DataSource);
      for (const meta of ds.entityMetadatas) {
        const info: { name: string; pk: number }[] = await ds.query(
          `PRAGMA table_info("${meta.tableName}")`,
        );
        expect({ table: meta.tableName, cols: info.map((c) => c.name).sort() }).toEqual({
          table: meta.tableName,
          cols: meta.columns.map((c) => c.databaseName).sort(),
        });
        expect(
          info
            .filter((c) => c.pk > 0)
            .map((c) => c.name)
            .sort(),
        ).toEqual(meta.primaryColumns.map((c) => c.databaseName).sort());
      }
    } finally {
      await app.close();
    }
  });

  it('does not reseed or lose rows on a second start', async () => {
    const first = await boot({ type: 'sqlite', path: dbPath });
    try {
      await first
        .get(DataSource)
        .query(`INSERT INTO item (item_id, item_desc, last_edit_by) VALUES (?, ?, ?)`, [
          'KEEP-ME',
          'kept',
          'test',
        ]);
    } finally {
      await first.close();
    }
    const second = await boot({ type: 'sqlite', path: dbPath });
    try {
      const ds = second.get(DataSource);
      expect(await counts(ds)).toEqual({ ...SEEDED_COUNTS, item: SEEDED_COUNTS.item + 1 });
      expect(await ds.query(`SELECT item_desc FROM item WHERE item_id = ?`, ['KEEP-ME'])).toEqual([
        { item_desc: 'kept' },
      ]);
      const [{ n }] = await ds.query(`SELECT count(*) AS n FROM "${MES_MIGRATIONS_TABLE}"`);
      expect(n).toBe(6);
    } finally {
      await second.close();
    }
  });

  it('reports health up with SELECT 1, and down once closed', async () => {
    const app = await boot({ type: 'sqlite', path: dbPath });
    const health = app.get(DatabaseHealthService);
    await expect(health.check()).resolves.toEqual({ status: 'up', type: 'sqlite' });
    await app.close();
    await expect(health.check()).resolves.toEqual({
      status: 'down',
      type: 'sqlite',
      detail: 'not connected',
    });
  });
});

describe('MesDatabaseModule registration', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  let n = 0;
  const nextOptions = (): MesDatabaseOptions => ({
    type: 'sqlite',
    path: path.join(tmp.dir, `db${++n}.sqlite`),
  });

  @Injectable()
  class OptionsFactory {
    create(): MesDatabaseOptions {
      return nextOptions();
    }
  }

  @Module({ providers: [OptionsFactory], exports: [OptionsFactory] })
  class OptionsModule {}

  const variants: [string, () => ConfigurableModuleAsyncOptions<MesDatabaseOptions, 'create'>][] = [
    ['useFactory', () => ({ useFactory: () => nextOptions() })],
    [
      'useFactory with inject',
      () => ({
        imports: [OptionsModule],
        inject: [OptionsFactory],
        useFactory: (f: OptionsFactory) => f.create(),
      }),
    ],
    ['useClass', () => ({ useClass: OptionsFactory })],
    ['useExisting', () => ({ imports: [OptionsModule], useExisting: OptionsFactory })],
  ];

  it.each(variants)(
    'forRootAsync with %s connects and exposes the health service',
    async (_name, make) => {
      const app = await Test.createTestingModule({
        imports: [MesDatabaseModule.forRootAsync(make())],
      }).compile();
      try {
        const ds = app.get<DataSource>(getDataSourceToken());
        expect(ds.isInitialized).toBe(true);
        await expect(app.get(DatabaseHealthService).check()).resolves.toMatchObject({
          status: 'up',
        });
      } finally {
        await app.close();
      }
    },
  );

  it('isGlobal makes the health service injectable everywhere', async () => {
    @Injectable()
    class Consumer {
      constructor(readonly health: DatabaseHealthService) {}
    }
    @Module({ providers: [Consumer], exports: [Consumer] })
    class FeatureModule {}
    const app = await Test.createTestingModule({
      imports: [MesDatabaseModule.forRoot({ ...nextOptions(), isGlobal: true }), FeatureModule],
    }).compile();
    try {
      expect(app.get(Consumer).health).toBeInstanceOf(DatabaseHealthService);
    } finally {
      await app.close();
    }
  });
});
