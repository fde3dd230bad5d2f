export type ConstraintKind = 'unique' | 'reference';

interface DriverError {
  code?: unknown;
  number?: unknown;
  driverError?: unknown;
  originalError?: unknown;
}

/** SQLite (better-sqlite3) codes and SQL Server error numbers of key and reference violations. */
const SQLITE_UNIQUE = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const SQLITE_REFERENCE = 'SQLITE_CONSTRAINT_FOREIGNKEY';
const MSSQL_UNIQUE = new Set([2601, 2627]);
const MSSQL_REFERENCE = 547;

/** Which constraint a failed write broke, or null when it is some other failure. */
export function constraintViolation(error: unknown): ConstraintKind | null {
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 4; depth++) {
    const driver = e as DriverError;
    if (typeof driver.code === 'string') {
      if (SQLITE_UNIQUE.has(driver.code)) return 'unique';
      if (driver.code === SQLITE_REFERENCE) return 'reference';
    }
    if (typeof driver.number === 'number') {
      if (MSSQL_UNIQUE.has(driver.number)) return 'unique';
      if (driver.number === MSSQL_REFERENCE) return 'reference';
    }
    e = driver.driverError ?? driver.originalError;
  }
  return null;
}
