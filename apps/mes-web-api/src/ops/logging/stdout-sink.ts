import { writeSync } from 'node:fs';
import type { LogSink } from './json-logger';

/** Written at once past this many characters, without waiting for the timer. */
const MAX_PENDING = 64 * 1024;
/** Pending lines are written at most this long after the first of them. */
const FLUSH_MS = 100;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * The json logs' stdout: lines are kept in a string and written together by one synchronous
 * write at most 100 ms after the first of them (or at once past 64 KB), so the API makes a few
 * system calls a second however busy it is, and wakes the log reader as often. Whatever is
 * pending is written on process exit (SIGTERM, `process.exit()`, an uncaught error), so no line
 * is lost on exit; a SIGKILL loses at most the last 100 ms. Like a synchronous stdout, a reader
 * that stops reading eventually stops the writer. Measurements: docs/operations.md.
 */
export function batchedStdout(fd = 1): LogSink & { flushSync(): void } {
  let pending = '';
  let scheduled = false;
  let broken = false;

  const flushSync = (): void => {
    if (pending === '' || broken) return;
    const data = Buffer.from(pending);
    pending = '';
    for (let offset = 0; offset < data.length;) {
      try {
        offset += writeSync(fd, data, offset);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(sleeper, 0, 0, 1); // a non-blocking pipe is full: wait for the reader
          continue;
        }
        broken = true; // stdout is gone (EPIPE...): logging must not take the API down
        return;
      }
    }
  };
  const flush = (): void => {
    scheduled = false;
    flushSync();
  };
  process.on('exit', flushSync);

  return {
    write(line: string): boolean {
      pending += line;
      if (pending.length >= MAX_PENDING) flushSync();
      else if (!scheduled) {
        scheduled = true;
        setTimeout(flush, FLUSH_MS).unref();
      }
      return true;
    },
    flushSync,
  };
}
