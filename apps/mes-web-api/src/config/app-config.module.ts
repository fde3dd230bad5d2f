import { ConfigModule, ConfigType, registerAs } from '@nestjs/config';
import { DynamicModule, Inject } from '@nestjs/common';
import { AppConfig, loadAppConfig } from './app-config';

/**
 * The validated application configuration, registered with @nestjs/config under `app`.
 * Inject it with `@InjectAppConfig()`, or use `appConfig.KEY` in `forRootAsync({ inject })`.
 */
export const appConfig = registerAs('app', (): AppConfig => loadAppConfig());
export type AppConfigType = ConfigType<typeof appConfig>;
export const InjectAppConfig = (): ParameterDecorator => Inject(appConfig.KEY);

/** Global config module. Given a config object (tests, embedding apps), it uses that instead of the environment. */
export function appConfigModule(config?: AppConfig): Promise<DynamicModule> {
  const load = config ? registerAs('app', (): AppConfig => config) : appConfig;
  return ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true, load: [load] });
}
