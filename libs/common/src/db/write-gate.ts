import { databaseBusy } from './mes-db';

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * SQLite has one writer at a time. This is that lock inside the process: whoever holds it (a
 * short auto-committed write, or an open MES transaction) is the only one writing; the others
 * wait in arrival order, each at most until its deadline, then get the busy 503. Waiting here
 * never blocks the event loop (the SQLite busy handler would). Another process holding the
 * database's own lock is handled by the caller's BEGIN IMMEDIATE retries.
 */
export class WriteGate {
  private held = false;
  private readonly waiters: Waiter[] = [];

  /** Takes the gate now if it is free (no waiting, no promise). */
  tryAcquire(): boolean {
    if (this.held) return false;
    this.held = true;
    return true;
  }

  /** Takes the gate, waiting at most until `deadline` (epoch ms); rejects with the busy 503. */
  acquire(deadline: number): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(
          () => {
            const at = this.waiters.indexOf(waiter);
            if (at >= 0) this.waiters.splice(at, 1);
            reject(databaseBusy());
          },
          Math.max(0, deadline - Date.now()),
        ),
      };
      this.waiters.push(waiter);
    });
  }

  /** Hands the gate to the next waiter, or frees it. */
  release(): void {
    const next = this.waiters.shift();
    if (next === undefined) {
      this.held = false;
      return;
    }
    clearTimeout(next.timer);
    next.resolve();
  }

  get isHeld(): boolean {
    return this.held;
  }

  get waiting(): number {
    return this.waiters.length;
  }
}
