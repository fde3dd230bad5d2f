import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';

/** The request path without its query string: query strings may carry values we must not echo. */
export function requestPath(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * Maps every exception to one RFC 9457 problem response. Unexpected errors are logged with
 * their stack on the server and answered with a generic body.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<{ url?: string; method?: string; id?: unknown }>();
    const response: unknown = ctx.getResponse();
    const adapter = this.adapterHost.httpAdapter;
    const { status, body, headers, unexpected } = toProblem(exception, requestPath(request.url));
    // The request's id (fastify's `request.id`, e.g. from x-request-id), to quote to support.
    const requestId = typeof request.id === 'string' && request.id !== '' ? request.id : undefined;
    if (requestId !== undefined) body.request_id = requestId;
    if (unexpected) {
      const stack = exception instanceof Error ? exception.stack : String(exception);
      const id = requestId === undefined ? '' : ` (request ${requestId})`;
      this.logger.error(`${request.method ?? ''} ${body.instance ?? ''}${id} failed: ${stack}`);
    }
    for (const [name, value] of Object.entries(headers)) adapter.setHeader(response, name, value);
    adapter.setHeader(response, 'content-type', PROBLEM_CONTENT_TYPE);
    // Nest's express adapter replaces any non-JSON content type of an object error body with
    // application/json; a serialised body keeps application/problem+json. Fastify keeps it as is.
    adapter.reply(response, adapter.getType() === 'express' ? JSON.stringify(body) : body, status);
  }
}
