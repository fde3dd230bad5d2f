import { CanActivate, ExecutionContext, mixin, Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import passport from 'passport';
import { MesError, MesErrorCode, MesPrincipal } from '@mes-web-api/common';
import { AIM_PUBLIC_ROUTE, AIM_SERVICE_STRATEGY, DEFAULT_REALM } from '../aim-auth.constants';
import { AimAuthFailure, isAimAuthFailure } from '../interfaces/aim-auth-failure.interface';
import {
  BearerTokenStrategy,
  extractBearerToken,
  RequestWithHeaders,
  tokenMissingError,
} from '../strategies/bearer-token.strategy';

const reflector = new Reflector();

/** The request as the guard sees it (FastifyRequest or express Request). */
export interface AimAuthenticatedRequest {
  mesUser?: MesPrincipal;
}

/** An aim-auth guard: Nest's `canActivate`, and its decision for a request that needs no wait. */
export interface AimAuthGuardLike extends CanActivate {
  /**
   * The principal the guard would accept `request` as, when a strategy accepts its bearer token
   * without waiting (a remembered token, a cached user); `undefined` for everything else (no
   * token, a token to verify, any failure), which only `canActivate` decides. Sets nothing on
   * the request.
   */
  principalNow(request: RequestWithHeaders): MesPrincipal | undefined;
}

type GuardedRequest = AimAuthenticatedRequest & RequestWithHeaders & { user?: unknown };

/** `@Public()` on the handler or its class, remembered per handler and class. */
const publicRoutes = new WeakMap<object, { controller: object; isPublic: boolean }>();

function isPublicRoute(context: ExecutionContext): boolean {
  const handler = context.getHandler();
  const controller = context.getClass();
  const known = publicRoutes.get(handler);
  if (known !== undefined && known.controller === controller) return known.isPublic;
  const isPublic =
    reflector.getAllAndOverride<boolean | undefined>(AIM_PUBLIC_ROUTE, [handler, controller]) ===
    true;
  publicRoutes.set(handler, { controller, isPublic });
  return isPublic;
}

/** A strategy from passport's registry (where `PassportStrategy` registers it by name). */
function registeredStrategy(name: string): unknown {
  const registry = passport as unknown as { _strategy(name: string): unknown };
  return registry._strategy(name);
}

/**
 * A thin guard over the given passport strategies, tried in order with passport's rules:
 * `@Public()` routes pass; the first strategy that accepts the bearer token wins, a strategy
 * error (MesError) is rethrown as-is, and when every strategy declined, the most specific
 * failure is thrown (wrong token kind before "no token"). Sets `request.mesUser` (and
 * `request.user`, as passport would). The strategies decide (`BearerTokenStrategy.check`); the
 * guard calls them directly rather than through `passport.authenticate`, whose per-request
 * machinery cost more CPU than the whole verified-token check (see README, Performance).
 */
export function createAimAuthGuard(strategies: string[]): Type<AimAuthGuardLike> {
  class AimGuard implements AimAuthGuardLike {
    private resolved?: BearerTokenStrategy[];

    canActivate(context: ExecutionContext): boolean | Promise<boolean> {
      if (isPublicRoute(context)) return true;
      const request = context.switchToHttp().getRequest<GuardedRequest>();
      return this.authenticateNow(request) ?? this.authenticate(request);
    }

    /**
     * The same decision as `authenticate` when a strategy accepts the request without waiting
     * (`checkNow`: a remembered token, a cached user), so the warm path of a request costs no
     * promise; `undefined` sends the request through `authenticate`, which decides everything
     * else (failures and errors included) as passport would.
     */
    private authenticateNow(request: GuardedRequest): true | undefined {
      const user = this.principalNow(request);
      if (user === undefined) return undefined;
      request.mesUser = user;
      request.user = user;
      return true;
    }

    principalNow(request: RequestWithHeaders): MesPrincipal | undefined {
      const token = extractBearerToken(request);
      if (token === undefined) return undefined;
      for (const strategy of this.strategies()) {
        const outcome = strategy.checkNow(token);
        if (outcome === undefined || 'error' in outcome) return undefined;
        if ('user' in outcome) return outcome.user;
      }
      return undefined;
    }

    private async authenticate(request: GuardedRequest): Promise<boolean> {
      const failures: AimAuthFailure[] = [];
      for (const strategy of this.strategies()) {
        const outcome = await strategy.check(request);
        if ('user' in outcome) {
          request.mesUser = outcome.user;
          request.user = outcome.user;
          return true;
        }
        if ('error' in outcome) {
          throw outcome.error instanceof Error
            ? outcome.error
            : new MesError(MesErrorCode.Internal, 'Authentication failed.');
        }
        if (isAimAuthFailure(outcome.failure)) failures.push(outcome.failure);
      }
      const chosen = failures.find((f) => f.reason !== 'missing') ?? failures[0];
      throw chosen ? chosen.error : tokenMissingError(DEFAULT_REALM);
    }

    /** Looked up on first use: the strategies register themselves when Nest creates them. */
    private strategies(): BearerTokenStrategy[] {
      this.resolved ??= strategies.map((name) => {
        const strategy = registeredStrategy(name);
        if (strategy instanceof BearerTokenStrategy) return strategy;
        throw new MesError(
          MesErrorCode.Internal,
          `The passport strategy "${name}" is not registered: import ${name === AIM_SERVICE_STRATEGY ? 'AimServiceAuthModule' : 'AimUserAuthModule'} in the module that uses this guard.`,
        );
      });
      return this.resolved;
    }
  }
  return mixin(AimGuard);
}
