import { writeSync } from 'node:fs';
import type { LogSink } from './json-logger';

/** Bytes kept before they are written at once, without waiting for the timer. */
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
  // Lines are encoded into this buffer as they come (no long string to flatten at flush time).
  const buffer = Buffer.allocUnsafe(MAX_PENDING);
  let used = 0;
  let scheduled = false;
  let broken = false;

  const writeOut = (data: Buffer): void => {
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
  const flushSync = (): void => {
    if (used === 0 || broken) return;
    const data = buffer.subarray(0, used);
    used = 0;
    writeOut(data);
  };
  const flush = (): void => {
    scheduled = false;
    flushSync();
  };
  process.on('exit', flushSync);

  return {
    write(line: string): boolean {
      if (broken) return true;
      // At most 3 bytes per UTF-16 unit: a line that may not fit is written after a flush, and a
      // line longer than the buffer on its own.
      if (used + line.length * 3 > MAX_PENDING) {
        flushSync();
        if (line.length * 3 > MAX_PENDING) {
          writeOut(Buffer.from(line));
          return true;
        }
      }
      used += buffer.write(line, used);
      if (!scheduled) {
        scheduled = true;
        setTimeout(flush, FLUSH_MS).unref();
      }
      return true;
    },
    flushSync,
  };
}
