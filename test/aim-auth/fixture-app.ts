import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Module, ModuleMetadata, Provider, Req, Type } from '@nestjs/common';
import { APP_GUARD, HttpAdapterHost } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { FixtureMesDbModule } from '../support/fixture-mes-db';
import { DataSource } from 'typeorm';
import { BackgroundUserService } from '@mes-web-api/background-user';
import { MesPrincipal, ProblemDetailsFilter } from '@mes-web-api/common';
import { CurrentMesUser, Public } from '@mes-web-api/aim-auth';
import { MES_USERS_ENTITIES, UserName } from '@mes-web-api/mes-users';

export const BACKGROUND_USER_ID = 'Default Background User';

/** Users of the throwaway test database: [user_id, active]. */
export const SEED_USERS: ReadonlyArray<[string, number]> = [
  [BACKGROUND_USER_ID, 1],
  ['mes\\operator', 1],
  ['mes\\supervisor', 1],
  ['mes\\former', 0],
  ['plainuser', 1],
];

@Controller()
export class ProbeController {
  @Get('me')
  me(@CurrentMesUser() user: MesPrincipal): MesPrincipal {
    return user;
  }

  /** What passport put on the request (`request.user`), for guards that are not ours. */
  @Get('passport-user')
  passportUser(@Req() request: { user?: unknown }): unknown {
    return request.user ?? null;
  }

  @Public()
  @Get('open')
  open(): { ok: true } {
    return { ok: true };
  }
}

/** Test double of the background-user lib: attribute 199 → 'Default Background User'. */
export function fakeBackgroundUser(userId = BACKGROUND_USER_ID): Provider {
  return {
    provide: BackgroundUserService,
    useValue: Object.freeze({
      current: () => Promise.resolve(Object.freeze({ userId })),
      currentUserIdNow: () => userId,
    }),
  };
}

export interface FixtureApp {
  app: NestFastifyApplication;
  origin: string;
  call(path: string, authorization?: string): Promise<FixtureResponse>;
  close(): Promise<void>;
}

export interface FixtureResponse {
  status: number;
  body: Record<string, unknown>;
  wwwAuthenticate: string | null;
  contentType: string | null;
}

export interface FixtureOptions {
  /** The aim-auth modules under test (and anything else they need). */
  imports: NonNullable<ModuleMetadata['imports']>;
  /** The guard registered as APP_GUARD. */
  guard: Type;
  providers?: Provider[];
  /** Extra rows for the test database (after the users are seeded). */
  seed?: (dataSource: DataSource) => Promise<void>;
}

/**
 * A bare Nest app on fastify: a temporary SQLite file with the MES user tables (synchronize is fine in
 * this throwaway database), the modules under test, one protected and one public route, and the
 * product's problem-details filter. Listens on 127.0.0.1 and a free port.
 */
export async function startFixture(options: FixtureOptions): Promise<FixtureApp> {
  const dir = mkdtempSync(join(tmpdir(), 'mes-auth-fixture-'));
  const dbPath = join(dir, 'mes.sqlite');
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        type: 'better-sqlite3',
        database: dbPath,
        entities: MES_USERS_ENTITIES,
        synchronize: true,
      }),
      FixtureMesDbModule,
      ...options.imports,
    ],
    controllers: [ProbeController],
    providers: [{ provide: APP_GUARD, useClass: options.guard }, ...(options.providers ?? [])],
  })
  class FixtureModule {}

  const moduleRef = await Test.createTestingModule({ imports: [FixtureModule] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: false,
  });
  app.useGlobalFilters(new ProblemDetailsFilter(app.get(HttpAdapterHost)));
  try {
    await app.init();
    const dataSource = app.get<DataSource>(getDataSourceToken());
    await dataSource
      .getRepository(UserName)
      .insert(
        SEED_USERS.map(([userId, active]) => ({ userId, active, authMethod: 0, userDesc: userId })),
      );
    await options.seed?.(dataSource);
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    await app.close().catch(() => undefined);
    removeDir();
    throw err;
  }
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  const origin = `http://127.0.0.1:${address.port}`;

  return {
    app,
    origin,
    async call(path, authorization) {
      const response = await fetch(origin + path, {
        headers: authorization === undefined ? {} : { authorization },
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        wwwAuthenticate: response.headers.get('www-authenticate'),
        contentType: response.headers.get('content-type'),
      };
    },
    close: async () => {
      await app.close();
      removeDir();
    },
  };
}
