import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseHealth } from './interfaces/mes-database-options.interface';
import { HEALTH_CHECK_TIMEOUT_MS } from './mes-database.constants';

/** A cheap `SELECT 1` with a timeout, for the health endpoint. Details never hold secrets. */
@Injectable()
export class DatabaseHealthService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async check(timeoutMs = HEALTH_CHECK_TIMEOUT_MS): Promise<DatabaseHealth> {
    const type = this.dataSource.options.type === 'mssql' ? 'mssql' : 'sqlite';
    if (!this.dataSource.isInitialized) return { status: 'down', type, detail: 'not connected' };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const query = this.dataSource.query<unknown>('SELECT 1 AS ok').then(() => 'ok' as const);
      const outcome = await Promise.race([query, timeout]);
      if (outcome === 'timeout') {
        return { status: 'down', type, detail: `no answer to SELECT 1 within ${timeoutMs} ms` };
      }
      return { status: 'up', type };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return {
        status: 'down',
        type,
        detail: `SELECT 1 failed${typeof code === 'string' ? ` (${code})` : ''}`,
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
