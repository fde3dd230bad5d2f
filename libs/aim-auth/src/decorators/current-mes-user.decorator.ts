import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { MesPrincipal } from '@mes-web-api/common';
import { AimAuthenticatedRequest } from '../guards/aim-guard.factory';

/** The principal the request runs as (`request.mesUser`, set by the aim-auth guards). */
export const CurrentMesUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): MesPrincipal | undefined =>
    context.switchToHttp().getRequest<AimAuthenticatedRequest>().mesUser,
);
