/** One readable line for a start-up failure: the message, never a stack trace or a connection string. */
export function describeStartupError(error: unknown): string {
  if (error instanceof Error) {
    const message = error.message.split('\n', 1)[0];
    return message || error.name;
  }
  return String(error);
}
