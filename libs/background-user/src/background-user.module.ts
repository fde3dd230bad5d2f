import { DynamicModule, Module } from '@nestjs/common';
import { MesUsersModule } from '@mes-web-api/mes-users';
import { BackgroundUserCache } from './background-user-cache.service';
import {
  BACKGROUND_USER_ASYNC_OPTIONS_TYPE,
  BACKGROUND_USER_OPTIONS,
  BACKGROUND_USER_OPTIONS_TYPE,
  BackgroundUserConfigurableModule,
} from './background-user.module-definition';
import { backgroundUserCacheModule } from './background-user.providers';
import { BackgroundUserService } from './background-user.service';

/** Holds the module options so both this module and its private CacheModule can inject them. */
@Module({})
class BackgroundUserOptionsModule {}

/**
 * Attribute 199 → the validated background user, cached with @nestjs/cache-manager (Redis when
 * `redisUrl` is set, else in memory). Global by default (`isGlobal: false` to opt out), so the
 * auth lib can inject `BackgroundUserService`. Needs a TypeORM root connection (MesUsersModule).
 */
@Module({})
export class BackgroundUserModule extends BackgroundUserConfigurableModule {
  static override forRoot(options: typeof BACKGROUND_USER_OPTIONS_TYPE = {}): DynamicModule {
    return this.compose(super.forRoot(options));
  }

  static override forRootAsync(options: typeof BACKGROUND_USER_ASYNC_OPTIONS_TYPE): DynamicModule {
    return this.compose(super.forRootAsync(options));
  }

  /** Moves the generated option providers into a small host module shared with the cache. */
  private static compose(definition: DynamicModule): DynamicModule {
    const optionsModule: DynamicModule = {
      module: BackgroundUserOptionsModule,
      imports: definition.imports ?? [],
      providers: definition.providers ?? [],
      exports: [BACKGROUND_USER_OPTIONS],
    };
    return {
      module: definition.module,
      global: definition.global,
      imports: [optionsModule, MesUsersModule, backgroundUserCacheModule(optionsModule)],
      providers: [BackgroundUserCache, BackgroundUserService],
      exports: [BackgroundUserService],
    };
  }
}
