interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

/** Errors from fetch may come from another realm (undici), so no `instanceof Error` here. */
function asErrorLike(error: unknown): ErrorLike | undefined {
  return typeof error === 'object' && error !== null ? error : undefined;
}

/** The message of any thrown value, without relying on `instanceof Error`. */
export function messageOf(error: unknown): string {
  const message = asErrorLike(error)?.message;
  return typeof message === 'string' ? message : String(error);
}

/** Reads a response body as text, never throwing (a broken stream reads as ''). */
export async function readBodyText(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch {
    return '';
  }
}

/** True when a fetch failed because its AbortSignal.timeout fired. */
export function isTimeout(error: unknown): boolean {
  const name = asErrorLike(error)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** A short, secret-free reason for a failed fetch: "ECONNREFUSED", "timed out after 100 ms" … */
export function describeFetchFailure(error: unknown, timeoutMs: number): string {
  if (isTimeout(error)) return `timed out after ${timeoutMs} ms`;
  const cause = asErrorLike(asErrorLike(error)?.cause);
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return messageOf(error);
}

/**
 * The MES error message of an error response, like a workflow console's WebAPIErrorMessage:
 * the `detail` of an RFC 9457 problem body, else `message`/`title`, else the text.
 */
export function webApiErrorMessageOf(body: unknown, text: string, statusText: string): string {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    for (const key of ['detail', 'message', 'Message', 'error_description', 'title', 'error']) {
      const value = record[key];
      if (typeof value === 'string' && value.trim() !== '') return value;
      if (Array.isArray(value) && value.every((v) => typeof v === 'string') && value.length > 0) {
        return value.join('; ');
      }
    }
  }
  const trimmed = text.trim();
  if (trimmed !== '') return trimmed.length > 2000 ? `${trimmed.slice(0, 2000)}…` : trimmed;
  return statusText || 'no message';
}
