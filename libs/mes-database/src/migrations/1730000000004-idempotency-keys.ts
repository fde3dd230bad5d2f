import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The table of Idempotency-Key answers (embedded SQLite). On SQL Server the API never creates a
 * table in the MES database: a DBA creates the same table from
 * deploy/sql/mes_idempotency.sql before keys are used (README, Idempotency-Key).
 */
export class IdempotencyKeys1730000000004 implements MigrationInterface {
  name = 'IdempotencyKeys1730000000004';

  async up(qr: QueryRunner): Promise<void> {
    if (qr.connection.driver.options.type !== 'better-sqlite3') return;
    await qr.query(`CREATE TABLE mes_idempotency (
      scope varchar(200) NOT NULL,
      idem_key varchar(255) NOT NULL,
      fingerprint char(64) NOT NULL,
      status integer NOT NULL,
      body text NULL,
      created_at datetime NOT NULL,
      expires_at datetime NOT NULL,
      PRIMARY KEY (scope, idem_key)
    )`);
    await qr.query('CREATE INDEX ix_mes_idempotency_expires ON mes_idempotency (expires_at)');
  }

  async down(qr: QueryRunner): Promise<void> {
    if (qr.connection.driver.options.type !== 'better-sqlite3') return;
    await qr.query('DROP TABLE mes_idempotency');
  }
}
