import { ExecutionContext, mixin, Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, IAuthGuard } from '@nestjs/passport';
import { MesError, MesErrorCode, MesPrincipal } from '@mes/common';
import { AIM_PUBLIC_ROUTE, DEFAULT_REALM } from '../aim-auth.constants';
import { isAimAuthFailure } from '../interfaces/aim-auth-failure.interface';
import { tokenMissingError } from '../strategies/bearer-token.strategy';

const reflector = new Reflector();

/** The request as the guard sees it (FastifyRequest or express Request). */
export interface AimAuthenticatedRequest {
  mesUser?: MesPrincipal;
}

/**
 * A thin passport guard over the given strategies: `@Public()` routes pass; otherwise the first
 * strategy that accepts the bearer token wins, a strategy error (MesError) is rethrown as-is, and
 * when every strategy declined, the most specific failure is thrown (wrong token kind before
 * "no token"). Sets `request.mesUser`.
 */
export function createAimAuthGuard(strategies: string[]): Type<IAuthGuard> {
  class AimGuard extends AuthGuard(strategies) {
    override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
      const isPublic = reflector.getAllAndOverride<boolean | undefined>(AIM_PUBLIC_ROUTE, [
        context.getHandler(),
        context.getClass(),
      ]);
      return isPublic === true ? true : (super.canActivate(context) as Promise<boolean>);
    }

    override handleRequest<TUser = MesPrincipal>(
      err: unknown,
      user: unknown,
      info: unknown,
      context: ExecutionContext,
    ): TUser {
      if (err)
        throw err instanceof Error
          ? err
          : new MesError(MesErrorCode.Internal, 'Authentication failed.');
      if (user) {
        context.switchToHttp().getRequest<AimAuthenticatedRequest>().mesUser = user as MesPrincipal;
        return user as TUser;
      }
      const failures = (Array.isArray(info) ? info : [info]).filter(isAimAuthFailure);
      const chosen = failures.find((f) => f.reason !== 'missing') ?? failures[0];
      throw chosen ? chosen.error : tokenMissingError(DEFAULT_REALM);
    }
  }
  return mixin(AimGuard);
}
