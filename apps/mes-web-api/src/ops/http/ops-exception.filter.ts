import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { MesError, toProblem } from '@mes-web-api/common';

/**
 * The problem `code` an exception is answered with, where operations need it: a MesError's own
 * code (authentication, database...), and for anything unexpected the code the shared mapping
 * gives (e.g. DATABASE_UNAVAILABLE for a locked SQLite). Nest's HttpExceptions (404, 400...)
 * carry none of these: null.
 */
export function problemCodeOf(exception: unknown): string | null {
  if (exception instanceof MesError) return exception.code;
  if (exception instanceof HttpException) return null;
  return toProblem(exception).body.code;
}

/**
 * Wraps the app's exception filter: notes the problem code on the request for the metrics and
 * the failed-authentication limit (`installOpsHooks`), then lets the wrapped filter answer.
 */
@Catch()
export class OpsExceptionFilter implements ExceptionFilter {
  constructor(private readonly inner: ExceptionFilter) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<{ opsProblemCode?: string | null }>();
    request.opsProblemCode = problemCodeOf(exception);
    this.inner.catch(exception, host);
  }
}
