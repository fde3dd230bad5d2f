import { LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { DatabaseStartupError } from './database-startup.error';
import { MesDatabaseOptions } from './interfaces/mes-database-options.interface';
import { MesDatabaseModule } from './mes-database.module';
import { tempDir } from './__fixtures__/temp-db';

class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private add(...args: unknown[]): void {
    this.lines.push(
      args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' '),
    );
  }
  log = (...a: unknown[]) => this.add(...a);
  error = (...a: unknown[]) => this.add(...a);
  warn = (...a: unknown[]) => this.add(...a);
  debug = (...a: unknown[]) => this.add(...a);
  verbose = (...a: unknown[]) => this.add(...a);
  fatal = (...a: unknown[]) => this.add(...a);
}

/** Boots a bare app with just the module; resolves to the start-up error and every log line. */
async function bootFailure(
  options: MesDatabaseOptions,
): Promise<{ error: unknown; logs: string; ms: number }> {
  const logger = new CapturingLogger();
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const started = Date.now();
  let error: unknown;
  try {
    const app = await Test.createTestingModule({ imports: [MesDatabaseModule.forRoot(options)] })
      .setLogger(logger)
      .compile();
    await app.close();
  } catch (e) {
    error = e;
  }
  const ms = Date.now() - started;
  const written = [...stdout.mock.calls, ...stderr.mock.calls].map((c) => String(c[0]));
  stdout.mockRestore();
  stderr.mockRestore();
  return { error, logs: [...logger.lines, ...written].join('\n'), ms };
}

function sha(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function chattr(flag: '+i' | '-i', target: string): boolean {
  try {
    execFileSync('chattr', [flag, target], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether this process really cannot write the path (root ignores mode bits, so test it). */
function cannotWrite(file: string): boolean {
  try {
    fs.closeSync(fs.openSync(file, 'r+'));
    return false;
  } catch {
    return true;
  }
}

describe('MesDatabaseModule start-up failures (SQLite)', () => {
  const tmp = tempDir();
  const immutable: string[] = [];
  afterAll(() => {
    for (const p of immutable) chattr('-i', p);
    tmp.cleanup();
  });

  it('refuses a file that is not an SQLite database, with one clear line, and leaves it untouched', async () => {
    const file = path.join(tmp.dir, 'garbage.sqlite');
    fs.writeFileSync(file, Buffer.from('this is not a database, just some bytes\n'.repeat(50)));
    const before = sha(file);
    const { error, logs } = await bootFailure({ type: 'sqlite', path: file });
    expect(error).toBeInstanceOf(DatabaseStartupError);
    expect((error as Error).message).toBe(
      `DB_PATH=${file} is not an SQLite database (file is corrupted or of another kind); restore it from a backup or point DB_PATH at a new file.`,
    );
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).stack).toBe(`DatabaseStartupError: ${(error as Error).message}`);
    expect(logs).not.toMatch(/\n\s+at /);
    expect(sha(file)).toBe(before);
    expect(fs.readdirSync(tmp.dir).sort()).toEqual(['garbage.sqlite']);
  });

  it('refuses a file with an SQLite header but damaged content, untouched', async () => {
    const file = path.join(tmp.dir, 'damaged.sqlite');
    const buf = Buffer.alloc(8192, 0xab);
    buf.write('SQLite format 3\0', 0, 'latin1');
    fs.writeFileSync(file, buf);
    const before = sha(file);
    const { error } = await bootFailure({ type: 'sqlite', path: file });
    expect(error).toBeInstanceOf(DatabaseStartupError);
    expect((error as Error).message).toContain(`DB_PATH=${file} is not an SQLite database`);
    expect(sha(file)).toBe(before);
  });

  it('refuses a directory given as DB_PATH', async () => {
    const { error } = await bootFailure({ type: 'sqlite', path: tmp.dir });
    expect((error as Error).message).toBe(
      `DB_PATH=${tmp.dir} is a directory, not a database file; point DB_PATH at a file such as ./data/mes.sqlite.`,
    );
  });

  it('refuses a path whose parent is a regular file', async () => {
    const blocker = path.join(tmp.dir, 'not-a-dir');
    fs.writeFileSync(blocker, 'x');
    const dbPath = path.join(blocker, 'mes.sqlite');
    const { error } = await bootFailure({ type: 'sqlite', path: dbPath });
    expect(error).toBeInstanceOf(DatabaseStartupError);
    expect((error as Error).message).toMatch(new RegExp(`^DB_PATH=${dbPath} cannot be `));
    expect((error as Error).message).toContain('a part of the path is a file, not a directory');
    expect(fs.readFileSync(blocker, 'utf8')).toBe('x');
  });

  it('refuses a read-only (immutable) database file and leaves it untouched', async () => {
    // Seed a real database first, then make it immutable: root ignores chmod, not chattr +i.
    const dir = path.join(tmp.dir, 'ro-file');
    const file = path.join(dir, 'mes.sqlite');
    const ok = await Test.createTestingModule({
      imports: [MesDatabaseModule.forRoot({ type: 'sqlite', path: file })],
    }).compile();
    await ok.close();
    const before = sha(file);
    if (!chattr('+i', file) || !cannotWrite(file)) {
      console.warn('chattr +i is not available here: read-only file case not exercised');
      return;
    }
    immutable.push(file);
    const { error, logs } = await bootFailure({ type: 'sqlite', path: file });
    expect((error as Error).message).toBe(
      `DB_PATH=${file} cannot be opened for writing (permission denied); make the file writable for this process, or point DB_PATH at another file.`,
    );
    expect(logs).not.toMatch(/\n\s+at /);
    chattr('-i', file);
    expect(sha(file)).toBe(before);
  });

  it('refuses a database in a read-only (immutable) directory', async () => {
    const dir = path.join(tmp.dir, 'ro-dir');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'mes.sqlite');
    if (!chattr('+i', dir)) {
      console.warn('chattr +i is not available here: read-only directory case not exercised');
      return;
    }
    immutable.push(dir);
    const { error } = await bootFailure({ type: 'sqlite', path: file });
    expect((error as Error).message).toBe(
      `DB_PATH=${file} cannot be used: its directory is not writable (permission denied), and SQLite keeps its journal files there; make the directory writable for this process, or point DB_PATH at a file in a writable directory.`,
    );
    chattr('-i', dir);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('MesDatabaseModule start-up failures (SQL Server)', () => {
  it('rejects fast with a clear message and never shows the password when the port is closed', async () => {
    const password = 'Sup3r-Secret-Pw!';
    const port = await closedPort();
    const { error, logs, ms } = await bootFailure({
      type: 'mssql',
      host: '127.0.0.1',
      port,
      database: 'MES',
      username: 'mes_api',
      password,
      encrypt: false,
      trustServerCertificate: true,
      connectTimeoutMs: 5000,
      requestTimeoutMs: 5000,
      poolMax: 2,
    });
    expect(error).toBeInstanceOf(DatabaseStartupError);
    const message = (error as Error).message;
    expect(message).toMatch(
      new RegExp(
        `^Cannot connect to SQL Server at 127\\.0\\.0\\.1:${port} \\(database MES\\): connection refused \\(ECONNREFUSED\\)\\. Check DB_HOST/DB_PORT and that SQL Server accepts TCP connections\\.$`,
      ),
    );
    expect(ms).toBeLessThan(30_000);
    for (const text of [message, String((error as Error).stack), JSON.stringify(error), logs]) {
      expect(text).not.toContain(password);
    }
    expect(logs).not.toMatch(/\n\s+at /);
  }, 35_000);
});
