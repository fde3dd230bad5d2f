import { ArgumentsHost, Catch, NotFoundException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MesError, MesErrorCode, ProblemDetailsFilter, requestPath } from '@mes-web-api/common';
import { RouteTable } from './route-table';

/**
 * The API's exception filter: the shared problem-details mapping, plus one rule only the
 * app can apply: a path that exists under another verb answers 405 with `Allow`.
 */
@Catch()
export class ApiExceptionFilter extends ProblemDetailsFilter {
  constructor(
    adapterHost: HttpAdapterHost,
    private readonly routes: RouteTable,
  ) {
    super(adapterHost);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    super.catch(this.translate(exception, host), host);
  }

  private translate(exception: unknown, host: ArgumentsHost): unknown {
    if (!(exception instanceof NotFoundException) || !/^Cannot [A-Z]+ /.test(exception.message)) {
      return exception;
    }
    const request = host.switchToHttp().getRequest<{ url?: string; method?: string }>();
    const path = requestPath(request.url) ?? '';
    const allowed = this.routes.allowedMethods(path);
    if (allowed.length === 0) {
      return new MesError(MesErrorCode.RouteNotFound, 'Unknown endpoint.');
    }
    return new MesError(
      MesErrorCode.MethodNotAllowed,
      `${request.method ?? 'This method'} is not allowed on this endpoint; use ${allowed.join(', ')}.`,
      { headers: { Allow: allowed.join(', ') } },
    );
  }
}
