import {
  DynamicModule,
  InjectionToken,
  Module,
  ModuleMetadata,
  OptionalFactoryDependency,
} from '@nestjs/common';
import { AnyMesMethodDefinition } from './registry/mes-method';
import { MesMethodRegistry } from './registry/mes-method-registry';
import { mesMethodControllers } from './http/mes-method-controllers';
import { MesMethodExecutor, MesPrivilegeCheck } from './http/mes-method-executor';
import { MiddlewareAccessController } from './http/middleware-access.controller';
import { MES_METHOD_SERVICES, MES_PRIVILEGE_CHECK } from './mes-methods.constants';

interface FactoryProvider<T> {
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  useFactory: (...args: never[]) => T | Promise<T>;
}

export interface MesMethodsModuleOptions<Svc> {
  /** Every MES method the app serves (its routes, MiddlewareAccess and Swagger come from these). */
  methods: ReadonlyArray<AnyMesMethodDefinition<Svc>>;
  /** Modules the factories below need. */
  imports?: ModuleMetadata['imports'];
  /** The services object every handler receives. */
  services: FactoryProvider<Svc>;
  /** How a method's `privilege` is checked (403 without it). */
  privilegeCheck: FactoryProvider<MesPrivilegeCheck>;
  /** Serve MiddlewareAccess (default true). */
  middlewareAccess?: boolean;
}

/**
 * The MES method registry as routes: one route per method (verb and path from its definition),
 * plus MiddlewareAccess over the same registry, all through one executor. Needs `MesDb`
 * (MesDatabaseModule, global) and `MesTransactions` (MesTransactionsModule). `forRoot` is written
 * by hand: the controllers are built from the method list, which ConfigurableModuleBuilder cannot
 * express. The routes are static, so the Swagger file can be built in preview mode.
 */
@Module({})
export class MesMethodsModule {
  static forRoot<Svc>(options: MesMethodsModuleOptions<Svc>): DynamicModule {
    const registry = new MesMethodRegistry(options.methods);
    const controllers = mesMethodControllers(registry);
    if (options.middlewareAccess !== false) controllers.push(MiddlewareAccessController);
    return {
      module: MesMethodsModule,
      imports: options.imports ?? [],
      controllers,
      providers: [
        { provide: MesMethodRegistry, useValue: registry },
        {
          provide: MES_METHOD_SERVICES,
          inject: options.services.inject ?? [],
          useFactory: options.services.useFactory,
        },
        {
          provide: MES_PRIVILEGE_CHECK,
          inject: options.privilegeCheck.inject ?? [],
          useFactory: options.privilegeCheck.useFactory,
        },
        MesMethodExecutor,
      ],
      exports: [MesMethodRegistry, MesMethodExecutor],
    };
  }
}
