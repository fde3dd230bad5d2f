import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseStartupError } from './database-startup.error';

const SQLITE_HEADER = 'SQLite format 3\0';

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return 'permission denied';
  if (e?.code === 'EROFS') return 'read-only file system';
  if (e?.code === 'ENOTDIR') return 'a part of the path is a file, not a directory';
  if (e?.code === 'EISDIR') return 'it is a directory';
  if (typeof e?.code === 'string') return e.code;
  return error instanceof Error ? error.message : String(error);
}

function fail(dbPath: string, problem: string, fix: string): never {
  throw new DatabaseStartupError(`DB_PATH=${dbPath} ${problem}; ${fix}`);
}

/**
 * Checks, before TypeORM touches it, that the embedded database file can be used: an existing
 * file must be an SQLite database that this process may read and write, and its directory must
 * be writable (SQLite keeps its -wal/-shm files there). A missing directory is created. An
 * existing file is only read, never changed. Throws DatabaseStartupError with one clear line.
 */
export function checkSqliteFile(dbPath: string): void {
  if (dbPath === ':memory:') return;
  const file = path.resolve(dbPath);
  const dir = path.dirname(file);

  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      fail(
        dbPath,
        `cannot be used (${reason(error)})`,
        'point DB_PATH at a file in a writable directory.',
      );
    }
  }

  if (stat) {
    if (stat.isDirectory()) {
      fail(
        dbPath,
        'is a directory, not a database file',
        'point DB_PATH at a file such as ./data/mes.sqlite.',
      );
    }
    if (!stat.isFile()) {
      fail(dbPath, 'is not a regular file', 'point DB_PATH at an SQLite database file.');
    }
    let header = '';
    let fd: number | undefined;
    try {
      // Opening for read+write proves write access (also for root: immutable files, read-only mounts).
      fd = fs.openSync(file, 'r+');
      const buf = Buffer.alloc(SQLITE_HEADER.length);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      header = buf.subarray(0, n).toString('latin1');
    } catch (error) {
      fail(
        dbPath,
        `cannot be opened for writing (${reason(error)})`,
        'make the file writable for this process, or point DB_PATH at another file.',
      );
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
    if (stat.size > 0 && header !== SQLITE_HEADER) {
      fail(
        dbPath,
        'is not an SQLite database (file is corrupted or of another kind)',
        'restore it from a backup or point DB_PATH at a new file.',
      );
    }
  }

  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    fail(
      dbPath,
      `cannot be created: its directory cannot be created (${reason(error)})`,
      'create the directory or point DB_PATH at a file in a writable directory.',
    );
  }
  const probe = path.join(dir, `.mes-write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    fs.writeFileSync(probe, '', { flag: 'wx' });
    fs.unlinkSync(probe);
  } catch (error) {
    fail(
      dbPath,
      `cannot be used: its directory is not writable (${reason(error)}), and SQLite keeps its journal files there`,
      'make the directory writable for this process, or point DB_PATH at a file in a writable directory.',
    );
  }

  if (stat && stat.size > 0) {
    // The header is right; read the schema to catch a damaged file. Read-only: nothing is written.
    try {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        db.prepare('SELECT count(*) FROM sqlite_master').get();
      } finally {
        db.close();
      }
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
        fail(
          dbPath,
          'is not an SQLite database (file is corrupted or of another kind)',
          'restore it from a backup or point DB_PATH at a new file.',
        );
      }
      fail(
        dbPath,
        `cannot be opened (${code || reason(error)})`,
        'check the file or point DB_PATH at another file.',
      );
    }
  }
}
