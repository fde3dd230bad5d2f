import { CacheModule, CacheModuleOptions } from '@nestjs/cache-manager';
import { DynamicModule, Logger } from '@nestjs/common';
import KeyvRedis, { createClient } from '@keyv/redis';
import { Keyv } from 'keyv';
import { BACKGROUND_USER_OPTIONS } from './background-user.module-definition';
import { redactSecrets, resolveBackgroundUserOptions } from './background-user.options';
import { BackgroundUserModuleOptions } from './interfaces/background-user-options.interface';

const logger = new Logger('BackgroundUser');

/**
 * KeyvRedis whose disconnect never waits on a stalled or unreachable server, so module destroy
 * always lets the process exit.
 */
export class BackgroundUserRedisStore extends KeyvRedis<unknown> {
  override async disconnect(): Promise<void> {
    await super.disconnect(true);
  }
}

/**
 * The store behind the background-user cache: Redis (namespaced keys, shared by every API
 * instance) when `redisUrl` is set, else an in-process Map. Errors are thrown (not swallowed) so
 * the cache service can tell a miss from an outage and fall back to the database.
 */
export async function createBackgroundUserStore(
  rawOptions: BackgroundUserModuleOptions,
): Promise<Keyv> {
  const options = resolveBackgroundUserOptions(rawOptions);
  if (options.redisUrl === undefined) {
    return new Keyv({ store: new Map(), namespace: options.redisNamespace, throwOnErrors: true });
  }
  const client = createClient({
    url: options.redisUrl,
    // Fail fast while disconnected instead of queueing commands until Redis returns.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2_000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 5), 2_000),
    },
  });
  // Redis errors are handled per operation; never let an 'error' event go unhandled.
  client.on('error', () => undefined);
  const store = new BackgroundUserRedisStore(client, {
    throwOnErrors: true,
    throwOnConnectError: true,
  });
  const keyv = new Keyv({
    store,
    namespace: options.redisNamespace,
    useKeyPrefix: false,
    throwOnErrors: true,
  });
  // Connect in the background; the reconnect strategy keeps trying while Redis is down. Startup
  // waits a moment so the first requests find it ready, but never fails because of the cache.
  const connected = client.connect().then(
    () => true,
    () => false,
  );
  let timer: NodeJS.Timeout | undefined;
  const ready = await Promise.race([
    connected,
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), 1_000);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
  if (!ready) {
    logger.warn(
      `Redis for the background-user cache is not reachable yet (${redactSecrets(describeRedis(options.redisUrl))}); service calls read the database until it is.`,
    );
  }
  return keyv;
}

/** host:port of a Redis URL, without credentials. */
export function describeRedis(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'redis';
  }
}

/** The module's private CacheModule (not global), configured from the module options. */
export function backgroundUserCacheModule(optionsModule: DynamicModule): DynamicModule {
  return CacheModule.registerAsync({
    imports: [optionsModule],
    inject: [BACKGROUND_USER_OPTIONS],
    useFactory: async (options: BackgroundUserModuleOptions): Promise<CacheModuleOptions> => ({
      stores: [await createBackgroundUserStore(options)],
    }),
  });
}
