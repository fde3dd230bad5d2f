import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, QueryRunner } from 'typeorm';
import { buildDataSourceOptions } from '../data-source-options';
import { MES_MIGRATIONS } from '.';
import { InitialSchema1730000000000 } from './1730000000000-initial-schema';
import { DemoSeed1730000000001 } from './1730000000001-demo-seed';
import { DocumentedItemColumns1730000000002 } from './1730000000002-documented-item-columns';
import { DirectAccessPrivilege1730000000003 } from './1730000000003-direct-access-privilege';
import { IdempotencyKeys1730000000004 } from './1730000000004-idempotency-keys';
import { OsGroupDemo1730000000005 } from './1730000000005-os-group-demo';

const GOLDEN = path.join(__dirname, '..', '__golden__', 'mssql-initial-schema.sql');

/** Runs a migration against the mssql driver with no server: statements are recorded, not sent. */
async function mssqlStatements(run: (qr: QueryRunner) => Promise<void>): Promise<string[]> {
  const ds = new DataSource(
    buildDataSourceOptions({
      type: 'mssql',
      host: '127.0.0.1',
      port: 1,
      database: 'MES',
      encrypt: true,
      trustServerCertificate: false,
      connectTimeoutMs: 1000,
      requestTimeoutMs: 1000,
      poolMax: 1,
    }),
  );
  await (ds as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  const qr = ds.createQueryRunner();
  qr.enableSqlMemory();
  await run(qr);
  return qr.getMemorySql().upQueries.map((q) => q.query.trim());
}

describe('migrations', () => {
  it('are listed explicitly, in order', () => {
    expect(MES_MIGRATIONS).toEqual([
      InitialSchema1730000000000,
      DemoSeed1730000000001,
      DocumentedItemColumns1730000000002,
      DirectAccessPrivilege1730000000003,
      IdempotencyKeys1730000000004,
      OsGroupDemo1730000000005,
    ]);
  });

  it('emit the golden T-SQL schema on SQL Server (only types valid on both drivers)', async () => {
    const sql =
      (await mssqlStatements((qr) => new InitialSchema1730000000000().up(qr))).join(';\n') + ';\n';
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN, sql);
    expect(sql).toBe(fs.readFileSync(GOLDEN, 'utf8'));
    expect(sql).not.toMatch(
      /\b(bit|datetime2|uniqueidentifier|ntext|money|varbinary|rowversion)\b/i,
    );
  });

  it('never seed SQL Server', async () => {
    await expect(mssqlStatements((qr) => new DemoSeed1730000000001().up(qr))).resolves.toEqual([]);
    await expect(mssqlStatements((qr) => new OsGroupDemo1730000000005().up(qr))).resolves.toEqual(
      [],
    );
  });
});
