/**
 * A start-up failure of the database with one line that says what is wrong and what to do.
 * Its stack is that line only, so loggers that print stacks print no crash dump, and it carries
 * no cause that could hold connection options or secrets.
 */
export class DatabaseStartupError extends Error {
  constructor(
    message: string,
    /** Worth another connection attempt (a network problem), as opposed to a configuration one. */
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'DatabaseStartupError';
    this.stack = `${this.name}: ${message}`;
  }
}
