import { CanActivate, ExecutionContext, Inject, mixin, Optional, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import passport from 'passport';
import { MesError, MesErrorCode, MesPrincipal } from '@mes-web-api/common';
import { AIM_SERVICE_STRATEGY, DEFAULT_REALM } from '../aim-auth.constants';
import { AimAuthFailure, isAimAuthFailure } from '../interfaces/aim-auth-failure.interface';
import { AimPrivilegeSource } from '../privileges/aim-privilege-source';
import {
  BearerTokenStrategy,
  extractBearerToken,
  RequestWithHeaders,
  tokenMissingError,
} from '../strategies/bearer-token.strategy';
import { hasScope } from '../strategies/token-kind';
import { AimTokenVerifier } from '../token/aim-token-verifier';
import { bearerChallenge } from '../token/bearer-challenge';
import { RouteAccess, routeAuthOf } from './route-access';

/** The request as the guard sees it (FastifyRequest or express Request). */
export interface AimAuthenticatedRequest {
  mesUser?: MesPrincipal;
}

/**
 * What the guard reads the bearer token from and writes the principal to: an HTTP request, or
 * whatever `getRequest()` returns (e.g. the upgrade request of a WebSocket handshake).
 */
export type AimGuardRequest = AimAuthenticatedRequest & RequestWithHeaders & { user?: unknown };

/** An aim-auth guard: Nest's `canActivate`, and its decision for a request that needs no wait. */
export interface AimAuthGuardLike extends CanActivate {
  /**
   * The principal the guard would accept `request` as, when a strategy accepts its bearer token
   * without waiting (a remembered token, a cached user); `undefined` for everything else (no
   * token, a token to verify, any failure), which only `canActivate` decides. Sets nothing on
   * the request.
   */
  principalNow(request: RequestWithHeaders): MesPrincipal | undefined;
  /**
   * Where the token comes from, as in @nestjs/passport: the HTTP request by default. Override it
   * for another context, e.g. `context.switchToWs().getClient().handshake` for a gateway.
   */
  getRequest(context: ExecutionContext): AimGuardRequest;
  /**
   * Authenticates a request outside a route (e.g. a WebSocket handshake in `handleConnection`):
   * the principal, set as `request.mesUser`; throws the MesError a route would answer.
   */
  authenticateRequest(request: AimGuardRequest): Promise<MesPrincipal>;
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
    private verifier?: AimTokenVerifier;
    private privileges?: AimPrivilegeSource;

    /** `moduleRef` finds the verifier and the privilege source for the access decorators. */
    constructor(@Optional() @Inject(ModuleRef) private readonly moduleRef?: ModuleRef) {}

    canActivate(context: ExecutionContext): boolean | Promise<boolean> {
      const route = routeAuthOf(context);
      if (route.isPublic) return true;
      const request = this.getRequest(context);
      const user = this.authenticateNow(request);
      if (route.access === undefined) return user !== undefined || this.authenticate(request);
      const access = route.access;
      if (user !== undefined) return this.authorize(request, user, access);
      return this.authenticate(request).then(() =>
        this.authorize(request, request.mesUser as MesPrincipal, access),
      );
    }

    getRequest(context: ExecutionContext): AimGuardRequest {
      return context.switchToHttp().getRequest<AimGuardRequest>();
    }

    async authenticateRequest(request: AimGuardRequest): Promise<MesPrincipal> {
      if (this.authenticateNow(request) === undefined) await this.authenticate(request);
      return request.mesUser as MesPrincipal;
    }

    /**
     * The same decision as `authenticate` when a strategy accepts the request without waiting
     * (`checkNow`: a remembered token, a cached user), so the warm path of a request costs no
     * promise; `undefined` sends the request through `authenticate`, which decides everything
     * else (failures and errors included) as passport would.
     */
    private authenticateNow(request: AimGuardRequest): MesPrincipal | undefined {
      const user = this.principalNow(request);
      if (user === undefined) return undefined;
      request.mesUser = user;
      request.user = user;
      return user;
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

    private async authenticate(request: AimGuardRequest): Promise<boolean> {
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

    /**
     * The route's own demands on an accepted token, cheapest first: the kind of token (no wait),
     * then its scopes, then the user's privileges. Each refusal is a 403 that says why.
     */
    private authorize(
      request: AimGuardRequest,
      user: MesPrincipal,
      access: RouteAccess,
    ): true | Promise<true> {
      if (access.tokens !== undefined && !access.tokens.includes(user.mode)) {
        throw new MesError(
          MesErrorCode.TokenKindNotAllowed,
          access.tokens.includes('user')
            ? 'This route accepts user access tokens only, not service (client-credentials) tokens.'
            : 'This route accepts service (client-credentials) tokens only, not user access tokens.',
        );
      }
      if (access.scopes.length === 0 && access.privileges.length === 0) return true;
      return this.authorizeSlow(request, user, access);
    }

    private async authorizeSlow(
      request: AimGuardRequest,
      user: MesPrincipal,
      access: RouteAccess,
    ): Promise<true> {
      if (access.scopes.length > 0) {
        const verifier = this.tokenVerifier();
        const claims = await verifier.verify(extractBearerToken(request) ?? '');
        const missing = access.scopes.filter((scope) => !hasScope(claims, scope));
        if (missing.length > 0) {
          const scope = missing.join(' ');
          throw new MesError(
            MesErrorCode.ScopeMissing,
            `The access token lacks the scope${missing.length > 1 ? 's' : ''} "${scope}" this route requires.`,
            {
              headers: {
                'WWW-Authenticate': bearerChallenge(verifier.realm, {
                  error: 'insufficient_scope',
                  scope,
                }),
              },
            },
          );
        }
      }
      if (access.privileges.length > 0) {
        const source = this.privilegeSource();
        for (const privilege of access.privileges) {
          if (await source.hasPrivilege(user, privilege.id, privilege.minValue ?? 1)) continue;
          const what =
            privilege.name === undefined
              ? `privilege ${privilege.id}`
              : `the privilege to ${privilege.name} (privilege ${privilege.id})`;
          throw new MesError(
            MesErrorCode.PrivilegeMissing,
            `"${user.userId}" does not have ${what}.`,
          );
        }
      }
      return true;
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

    private tokenVerifier(): AimTokenVerifier {
      this.verifier ??= this.lookUp(AimTokenVerifier, 'import AimTokenModule.forRoot() in the app');
      return this.verifier;
    }

    private privilegeSource(): AimPrivilegeSource {
      this.privileges ??= this.lookUp(
        AimPrivilegeSource,
        'import AimUserAuthModule with the MES user check, or pass `privileges` to AimUserAuthModule.forRoot()',
      );
      return this.privileges;
    }

    /** A provider anywhere in the app; a clear 500 (and log line) when the app lacks it. */
    private lookUp<T>(token: abstract new (...args: never[]) => T, fix: string): T {
      try {
        if (this.moduleRef) return this.moduleRef.get(token, { strict: false });
      } catch {
        // reported below
      }
      throw new MesError(
        MesErrorCode.Internal,
        `A route's access decorator needs ${token.name}, which the app does not provide: ${fix}.`,
      );
    }
  }
  return mixin(AimGuard);
}
