import { QueryFailedError } from 'typeorm';
import { MesError, MesErrorCode } from '@mes-web-api/common';
import { constraintViolation, withConstraintMessages } from './constraint-error';

const failed = (driverError: Record<string, unknown>) =>
  new QueryFailedError(
    'INSERT INTO "ent" ("ent_name") VALUES (?)',
    ['x'],
    Object.assign(new Error('boom'), driverError),
  );

describe('constraint violations', () => {
  it.each<[Record<string, unknown>, string | null]>([
    [{ code: 'SQLITE_CONSTRAINT_UNIQUE' }, 'unique'],
    [{ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }, 'unique'],
    [{ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }, 'reference'],
    [{ number: 2627 }, 'unique'],
    [{ number: 2601 }, 'unique'],
    [{ number: 547 }, 'reference'],
    [{ code: 'SQLITE_BUSY' }, null],
    [{ number: 1205 }, null],
  ])('%j is %p', (driver, kind) => {
    expect(constraintViolation(failed(driver))).toBe(kind);
  });

  it('ignores errors that are not query failures', () => {
    expect(constraintViolation(new Error('SQLITE_CONSTRAINT_UNIQUE'))).toBeNull();
  });

  it('turns a violation into a 409 with the MES message and no SQL', async () => {
    const error = await withConstraintMessages(
      () => Promise.reject(failed({ code: 'SQLITE_CONSTRAINT_UNIQUE' })),
      {
        unique: 'An entity named "x" already exists.',
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MesError);
    expect(error).toMatchObject({
      code: MesErrorCode.BusinessRule,
      detail: 'An entity named "x" already exists.',
    });
    expect((error as MesError).detail).not.toContain('INSERT');
  });

  it('rethrows other failures and violations it has no message for', async () => {
    const busy = failed({ code: 'SQLITE_BUSY' });
    await expect(
      withConstraintMessages(() => Promise.reject(busy), { unique: 'dup' }),
    ).rejects.toBe(busy);
    const reference = failed({ number: 547 });
    await expect(
      withConstraintMessages(() => Promise.reject(reference), { unique: 'dup' }),
    ).rejects.toBe(reference);
    await expect(withConstraintMessages(() => Promise.resolve(42), {})).resolves.toBe(42);
  });
});
