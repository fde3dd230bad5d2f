import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PassportStrategy } from '@nestjs/passport';
import { BackgroundUserService } from '@mes-web-api/background-user';
import { MesError, MesErrorCode, MesPrincipal } from '@mes-web-api/common';
import { AIM_SERVICE_STRATEGY } from '../aim-auth.constants';
import { AimAuthFailure } from '../interfaces/aim-auth-failure.interface';
import {
  AimServiceAuthModuleOptions,
  ResolvedAimServiceAuthOptions,
} from '../interfaces/aim-service-auth-options.interface';
import { BearerTokenStrategy, BearerVerdict } from '../strategies/bearer-token.strategy';
import { classifyToken, hasScope, wrongKindFailure } from '../strategies/token-kind';
import { AimAuthConfigError } from '../token/aim-auth-config.error';
import { AimTokenClaims, AimTokenVerifier } from '../token/aim-token-verifier';
import { bearerChallenge } from '../token/bearer-challenge';
import { resolveAimServiceAuthOptions } from './aim-service-auth-options';
import { InjectAimServiceAuthOptions } from './aim-service-auth.module-definition';

/**
 * `aim-service`: accepts a verified SERVICE token (client credentials, no user) carrying the
 * service scope, and runs the call as the MES background user (system attribute 199). A user
 * token is not its kind: it answers `false` so another strategy can try.
 */
@Injectable()
export class AimServiceStrategy
  extends PassportStrategy(BearerTokenStrategy, AIM_SERVICE_STRATEGY)
  implements OnModuleInit
{
  private readonly options: ResolvedAimServiceAuthOptions;
  private backgroundUser?: BackgroundUserService;
  /** Built once (see AimUserStrategy): user tokens pass here first when this strategy runs first. */
  private wrongKind?: AimAuthFailure;
  /**
   * The last principal accepted for each remembered token's claims: handed out again (frozen)
   * while the background user is the same, instead of one new principal per request.
   */
  private readonly accepted = new WeakMap<AimTokenClaims, MesPrincipal>();

  constructor(
    private readonly verifier: AimTokenVerifier,
    private readonly moduleRef: ModuleRef,
    @InjectAimServiceAuthOptions() options: AimServiceAuthModuleOptions,
  ) {
    super(() => verifier.realm);
    this.options = resolveAimServiceAuthOptions(options);
  }

  /** BackgroundUserModule is global by default; look it up app-wide so it need not be re-imported. */
  onModuleInit(): void {
    try {
      this.backgroundUser = this.moduleRef.get(BackgroundUserService, { strict: false });
    } catch {
      throw new AimAuthConfigError(
        'AimServiceAuthModule needs BackgroundUserService: import BackgroundUserModule.forRoot() from @mes-web-api/background-user in the app.',
      );
    }
  }

  async validate(token: string): Promise<BearerVerdict> {
    const client = this.clientOf(await this.verifier.verify(token));
    if (Array.isArray(client)) return client;
    const { userId } = await this.background().current();
    return this.verdict(userId, client.clientId);
  }

  /** `validate` without waiting, for a remembered token while the background user is cached in memory. */
  protected override verdictNow(token: string): BearerVerdict | undefined {
    const claims = this.verifier.remembered(token);
    if (claims === undefined) return undefined;
    const userId = this.background().currentUserIdNow();
    // These claims were accepted before (kind and scope checked): the same principal while the
    // background user is the same.
    const last = this.accepted.get(claims);
    if (last !== undefined && last.userId === userId) return last;
    const client = this.clientOf(claims);
    if (Array.isArray(client)) return client;
    if (userId === undefined) return undefined;
    const principal = this.verdict(userId, client.clientId);
    this.accepted.set(claims, principal);
    return principal;
  }

  /**
   * The client of a verified service token with the service scope; the wrong-kind failure for a
   * user token; throws ScopeMissing (403) without the scope.
   */
  private clientOf(claims: AimTokenClaims): { clientId?: string } | [false, AimAuthFailure] {
    const kind = classifyToken(claims, this.options.userClaim);
    if (kind.kind !== 'service')
      return [
        false,
        (this.wrongKind ??= wrongKindFailure(
          this.verifier.realm,
          'this API accepts service (client-credentials) tokens only, not user tokens',
        )),
      ];
    const scope = this.options.serviceScope;
    if (!hasScope(claims, scope)) {
      throw new MesError(
        MesErrorCode.ScopeMissing,
        `The service token lacks the "${scope}" scope.`,
        {
          headers: {
            'WWW-Authenticate': bearerChallenge(this.verifier.realm, {
              error: 'insufficient_scope',
              scope,
            }),
          },
        },
      );
    }
    return { clientId: kind.clientId };
  }

  private verdict(userId: string, clientId: string | undefined): MesPrincipal {
    return Object.freeze(
      clientId === undefined ? { userId, mode: 'service' } : { userId, mode: 'service', clientId },
    );
  }

  private background(): BackgroundUserService {
    if (!this.backgroundUser) this.onModuleInit();
    return this.backgroundUser as BackgroundUserService;
  }
}
