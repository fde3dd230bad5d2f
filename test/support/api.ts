import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createMesWebApi } from '../../apps/mes-web-api/src/bootstrap';
import { AppConfig, loadAppConfig } from '../../apps/mes-web-api/src/config/app-config';

export interface RunningApi {
  app: NestFastifyApplication;
  /** e.g. http://127.0.0.1:43123 */
  origin: string;
  /** e.g. http://127.0.0.1:43123/mesmw */
  base: string;
  config: AppConfig;
  dbPath: string;
  close(): Promise<void>;
}

export interface StartApiOptions {
  /** Extra environment, as a user would set it (validated by the real config loader). */
  env?: Record<string, string>;
  /** Reuse a database file (e.g. a second instance); default: a fresh temp file. */
  dbPath?: string;
}

/** The issuer of the development authority started by the e2e global setup. */
export function e2eIssuer(): string {
  const issuer = process.env.E2E_AIM_ISSUER;
  if (!issuer)
    throw new Error('E2E_AIM_ISSUER is not set: run e2e suites through `npm test` (global setup).');
  return issuer;
}

/** Boots the real application (same bootstrap as main.ts) on 127.0.0.1 and a free port. */
export async function startApi(options: StartApiOptions = {}): Promise<RunningApi> {
  const ownDir = options.dbPath ? undefined : mkdtempSync(join(tmpdir(), 'mes-e2e-'));
  const dbPath = options.dbPath ?? join(ownDir as string, 'mes.sqlite');
  const config = loadAppConfig({
    PORT: '0',
    AIM_AUTHORITY: process.env.E2E_AIM_ISSUER ?? '',
    DB_PATH: dbPath,
    LOG_LEVEL: 'error',
    ...options.env,
  });
  const app = await createMesWebApi(config, { logger: ['error'] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    app,
    origin,
    base: `${origin}/mesmw`,
    config,
    dbPath,
    async close() {
      await app.close();
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}

/** fetch with a bearer token and JSON body; returns status, headers and the parsed body. */
export async function call(
  url: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON bodies of many shapes
  body: any;
  text: string;
}> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body, text };
}
