import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server, Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FixtureMesDbModule } from '../support/fixture-mes-db';
import { BackgroundUserModule, BackgroundUserModuleOptions } from '@mes-web-api/background-user';
import { MES_USERS_ENTITIES, SystemAttr, UserName } from '@mes-web-api/mes-users';

/** A throwaway SQLite file with the MES user tables, seeded like the demo data. */
export function tempDbPath(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mes-bgu-'));
  return {
    path: join(dir, 'mes.sqlite'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** One "API instance": a Nest application context with the real module on a real database. */
export async function startInstance(
  dbPath: string,
  options: BackgroundUserModuleOptions,
): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(
    {
      module: class BackgroundUserTestApp {},
      imports: [
        TypeOrmModule.forRoot({
          type: 'better-sqlite3',
          database: dbPath,
          entities: MES_USERS_ENTITIES,
          synchronize: true, // throwaway test database only
        }),
        FixtureMesDbModule,
        BackgroundUserModule.forRoot(options),
      ],
    },
    { logger: false, abortOnError: false },
  );
}

export async function seed(app: INestApplicationContext): Promise<void> {
  const ds = app.get(DataSource);
  await ds.getRepository(UserName).save(
    [
      ['Default Background User', 1],
      ['mes\\operator', 1],
      ['mes\\supervisor', 1],
      ['mes\\former', 0],
    ].map(([userId, active]) => ({
      userId: userId as string,
      userDesc: `${String(userId)}`,
      active: active as number,
    })),
  );
  await ds.getRepository(SystemAttr).save({
    attrId: 199,
    attrDesc: 'User ID for background tasks',
    attrValue: 'Default Background User',
  });
}

export async function setAttr199(
  app: INestApplicationContext,
  value: string | null,
): Promise<void> {
  await app.get(DataSource).getRepository(SystemAttr).update({ attrId: 199 }, { attrValue: value });
}

export async function readAttr199(app: INestApplicationContext): Promise<SystemAttr | null> {
  return app.get(DataSource).getRepository(SystemAttr).findOneBy({ attrId: 199 });
}

/**
 * The Redis to test against: REDIS_URL, else 127.0.0.1:6379 if it answers PING. Probed
 * synchronously (a child process) so suites can choose `describe` or `describe.skip`.
 */
export function redisForTests(): { url?: string; why: string } {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, why: 'REDIS_URL is set' };
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const s=require('net').connect(6379,'127.0.0.1');s.setTimeout(500);
       s.on('connect',()=>s.write('PING\\r\\n'));s.on('data',d=>{process.exit(String(d).startsWith('+PONG')?0:1)});
       s.on('error',()=>process.exit(1));s.on('timeout',()=>process.exit(1));`,
    ],
    { timeout: 3_000 },
  );
  return probe.status === 0
    ? { url: 'redis://127.0.0.1:6379', why: 'a Redis answered on 127.0.0.1:6379' }
    : { why: 'REDIS_URL is not set and no Redis answers on 127.0.0.1:6379' };
}

/** A TCP proxy on 127.0.0.1 in front of Redis that a test can cut and restore. */
export class CuttableProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Drops every connection and stops listening: Redis looks down. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async restore(): Promise<void> {
    await this.start();
  }

  /** `url` with host and port replaced by the proxy's (credentials kept). */
  urlFor(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }
}

export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
