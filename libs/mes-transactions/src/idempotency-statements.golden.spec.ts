import { join } from 'node:path';
import { renderStatements } from '@mes-web-api/common';
import { expectGolden } from '../../../test/support/golden';
import { fingerprintOf, IDEMPOTENCY_STATEMENTS, parseIdempotencyKey } from './mes-idempotency';

/* The T-SQL Idempotency-Key sends to SQL Server (golden file), and the key's rules. */
describe('Idempotency-Key statements and keys', () => {
  it('renders every statement for SQL Server (golden file)', () => {
    expectGolden(
      join(__dirname, '__golden__', 'mssql-idempotency.sql'),
      renderStatements('mssql', IDEMPOTENCY_STATEMENTS),
    );
  });

  it('takes a key as sent or as a structured-field string, and refuses anything else', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey(' 8e03978e-40d5-43e8-bc93-6894a57f9324 ')).toBe(
      '8e03978e-40d5-43e8-bc93-6894a57f9324',
    );
    expect(parseIdempotencyKey('"abc"')).toBe('abc');
    for (const bad of ['', '""', 'x'.repeat(256), 'tab\there', 'é', ['a', 'b']]) {
      expect(() => parseIdempotencyKey(bad)).toThrow(
        expect.objectContaining({ code: 'IDEMPOTENCY_KEY_INVALID' }) as Error,
      );
    }
  });

  it('fingerprints what a request asks, not how it is spelled in memory', () => {
    expect(fingerprintOf(['m', { a: 1 }])).toBe(fingerprintOf(['m', { a: 1 }]));
    expect(fingerprintOf(['m', { a: 1 }])).not.toBe(fingerprintOf(['m', { a: 2 }]));
    expect(fingerprintOf(['m', { a: 1 }])).toMatch(/^[0-9a-f]{64}$/);
  });
});
