import { QueryFailedError } from 'typeorm';
import { toProblem } from './problem';

/** A driver error as better-sqlite3 throws it, wrapped by TypeORM like a failed query. */
function failedQuery(code: string): QueryFailedError {
  const driverError = Object.assign(
    new Error(`${code}: secret detail in SELECT * FROM user_name`),
    {
      code,
    },
  );
  return new QueryFailedError('UPDATE "job" SET "state_cd" = 3', ['secret-param'], driverError);
}

describe('toProblem: database errors', () => {
  it.each(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED'])(
    'maps %s to 503 DATABASE_UNAVAILABLE with Retry-After and no SQL',
    (code) => {
      const p = toProblem(failedQuery(code), '/mesmw/api/v3/x');
      expect(p.status).toBe(503);
      expect(p.headers).toEqual({ 'Retry-After': '1' });
      expect(p.body).toEqual({
        type: 'urn:mes-web-api:problem:database_unavailable',
        title: 'Database unavailable',
        status: 503,
        code: 'DATABASE_UNAVAILABLE',
        detail: 'The database is busy; try the request again.',
        instance: '/mesmw/api/v3/x',
      });
      expect(p.unexpected).toBe(true);
    },
  );

  it.each([
    'SQLITE_READONLY',
    'SQLITE_READONLY_DBMOVED',
    'SQLITE_FULL',
    'SQLITE_IOERR_WRITE',
    'SQLITE_CANTOPEN',
  ])('maps %s to 503 DATABASE_READ_ONLY without leaking the driver message', (code) => {
    const p = toProblem(failedQuery(code));
    expect(p.status).toBe(503);
    expect(p.body.code).toBe('DATABASE_READ_ONLY');
    expect(p.body.title).toBe('Database is read-only');
    expect(p.body.detail).toContain('cannot be written');
    expect(JSON.stringify(p.body)).not.toMatch(/secret|SELECT|UPDATE|SQLITE_/);
  });

  it('recognises a bare driver error too', () => {
    const bare = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    expect(toProblem(bare).body.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('keeps other database errors a generic 500', () => {
    const p = toProblem(failedQuery('SQLITE_CONSTRAINT_UNIQUE'));
    expect(p.status).toBe(500);
    expect(p.body.code).toBe('INTERNAL_ERROR');
    expect(p.headers).toEqual({});
    expect(JSON.stringify(p.body)).not.toMatch(/secret|SELECT|UPDATE|SQLITE_/);
  });
});
