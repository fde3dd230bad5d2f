import type { DataSource } from 'typeorm';
import { BoundedTtlCache } from '../cache/bounded-ttl-cache';
import { SqliteConnection, sqliteConnection } from './sqlite-read';

interface Counter {
  get(): unknown;
}

/**
 * Values read from the database by key, answered again only while the database cannot have
 * changed since they were read. Before every lookup it asks SQLite two counters: `PRAGMA
 * data_version` (changes when another connection, in this process or another, has committed)
 * and `total_changes()` (rows this connection has inserted, updated or deleted). When either has
 * moved, every entry is forgotten. So a read never answers older data than the same query would
 * have, and a hit costs two tiny statements instead of the query, its row and its hydration.
 *
 * - Only on SQLite (better-sqlite3), and only outside a transaction: inside one, the connection
 *   sees uncommitted rows that a rollback would take back, so lookups go to `load` and nothing
 *   is kept. On any other driver every lookup goes to `load` (SQL Server has no such counter).
 * - Only synchronous results are kept (SQLite answers synchronously); a promise is passed on.
 * - Values are frozen when kept: every caller gets the same object, so none may change it.
 * - A schema change made through this same connection (`DROP`, `ALTER`) moves neither counter;
 *   the app never makes one while serving, and one by another connection moves `data_version`.
 * - At most `maxEntries` are kept; beyond that the oldest goes. `undefined` is never kept.
 */
export class FreshReadCache<K, V> {
  private readonly entries: BoundedTtlCache<K, V>;
  private connection?: SqliteConnection;
  private counters?: { dataVersion: Counter; totalChanges: Counter };
  private dataVersion: unknown;
  private totalChanges: unknown;

  constructor(
    private readonly dataSource: DataSource,
    maxEntries = 1_000,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError(`FreshReadCache: maxEntries must be a positive integer (${maxEntries})`);
    this.entries = new BoundedTtlCache(maxEntries);
  }

  /** The value for `key`: the kept one while the database is unchanged, else `load(key)`. */
  read(key: K, load: (key: K) => V | Promise<V>): V | Promise<V> {
    if (!this.unchangedOrCleared()) return load(key);
    const kept = this.entries.get(key);
    if (kept !== undefined) return kept;
    const value = load(key);
    if (value instanceof Promise || value === undefined) return value;
    // Kept until the counters move, not for a time.
    this.entries.set(key, freeze(value), Number.POSITIVE_INFINITY);
    return value;
  }

  /** How many values are kept (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Whether kept values may be answered: on SQLite outside a transaction. Forgets them first when
   * either counter has moved. A failure to read the counters (a closed connection, say) answers
   * false, so the caller's own query runs and reports the problem as it always would.
   */
  private unchangedOrCleared(): boolean {
    const connection = sqliteConnection(this.dataSource);
    if (connection === undefined) return false;
    try {
      if (connection.inTransaction) return false;
      let counters = this.counters;
      if (connection !== this.connection || counters === undefined) {
        counters = {
          dataVersion: connection.prepare('PRAGMA data_version').pluck(true),
          totalChanges: connection.prepare('SELECT total_changes()').pluck(true),
        };
        this.connection = connection;
        this.counters = counters;
        this.entries.clear();
      }
      const dataVersion = counters.dataVersion.get();
      const totalChanges = counters.totalChanges.get();
      if (dataVersion !== this.dataVersion || totalChanges !== this.totalChanges) {
        this.entries.clear();
        this.dataVersion = dataVersion;
        this.totalChanges = totalChanges;
      }
      return true;
    } catch {
      this.entries.clear();
      this.counters = undefined;
      return false;
    }
  }
}

function freeze<V>(value: V): V {
  return typeof value === 'object' && value !== null ? Object.freeze(value) : value;
}
