import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { runMigrate } from './migrate';

async function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await runMigrate(args, env, (line) => out.push(line));
  return { code, out };
}

describe('db:migrate', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mes-migrate-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('migrates and seeds a new SQLite file, then reports it up to date', async () => {
    const dbPath = path.join(dir, 'data', 'mes.sqlite');
    const first = await run([], { DB_PATH: dbPath });
    expect(first).toEqual({
      code: 0,
      out: [
        `Migrating SQLite file ${dbPath} ...`,
        'applied InitialSchema1730000000000',
        'applied DemoSeed1730000000001',
        'applied DocumentedItemColumns1730000000002',
        'applied DirectAccessPrivilege1730000000003',
        'applied IdempotencyKeys1730000000004',
        'applied OsGroupDemo1730000000005',
      ],
    });
    const second = await run([], { DB_PATH: dbPath });
    expect(second).toEqual({
      code: 0,
      out: [
        `Migrating SQLite file ${dbPath} ...`,
        'Database is up to date (6 migrations already applied).',
      ],
    });
  });

  it('refuses a corrupted SQLite file with one clear line and leaves it untouched', async () => {
    const dbPath = path.join(dir, 'garbage.sqlite');
    fs.writeFileSync(dbPath, 'not a database at all, just text '.repeat(20));
    const before = fs.readFileSync(dbPath);
    const { code, out } = await run([], { DB_PATH: dbPath });
    expect(code).toBe(1);
    expect(out[1]).toBe(
      `DB_PATH=${dbPath} is not an SQLite database (file is corrupted or of another kind); restore it from a backup or point DB_PATH at a new file.`,
    );
    expect(fs.readFileSync(dbPath).equals(before)).toBe(true);
  });

  it('refuses SQL Server without --allow-mssql and does not connect', async () => {
    const { code, out } = await run([], {
      DB_TYPE: 'mssql',
      DB_HOST: 'sql1.plant.local',
      DB_NAME: 'MES',
      DB_PASSWORD: 'Sup3r-Secret-Pw!',
    });
    expect(code).toBe(2);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(
      /^DB_TYPE=mssql: refusing to migrate SQL Server at sql1\.plant\.local:1433 \(database MES\)\./,
    );
    expect(out[0]).toContain('owned by MES');
    expect(out[0]).toContain('--allow-mssql');
    expect(out[0]).not.toContain('Sup3r-Secret-Pw!');
  });

  it('with --allow-mssql, a closed port fails fast with a clear message and no password', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { code, out } = await run(['--allow-mssql'], {
      DB_TYPE: 'mssql',
      DB_HOST: '127.0.0.1',
      DB_PORT: String(port),
      DB_NAME: 'MES',
      DB_USER: 'mes_api',
      DB_PASSWORD: 'Sup3r-Secret-Pw!',
      DB_ENCRYPT: 'false',
    });
    expect(code).toBe(1);
    expect(out[1]).toBe(
      `Cannot connect to SQL Server at 127.0.0.1:${port} (database MES): connection refused (ECONNREFUSED). Check DB_HOST/DB_PORT and that SQL Server accepts TCP connections.`,
    );
    expect(out.join('\n')).not.toContain('Sup3r-Secret-Pw!');
  });

  it('rejects unknown arguments and bad configuration', async () => {
    await expect(run(['--force'], {})).resolves.toMatchObject({ code: 2 });
    const bad = await run([], { DB_TYPE: 'oracle' });
    expect(bad.code).toBe(2);
    expect(bad.out[0]).toContain('DB_TYPE');
  });
});
