import { DynamicModule, INestApplication } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { WsAdapter } from '@nestjs/platform-ws';
import { ProblemDetailsFilter } from '@mes-web-api/common';

export type AdapterName = 'express' | 'fastify';

/** The app on either HTTP adapter, with the packages' problem-details filter and `ws` gateways. */
export async function createConsumerApp(
  module: DynamicModule,
  adapter: AdapterName,
): Promise<INestApplication> {
  const app = await NestFactory.create(
    module,
    adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(),
    { logger: ['error', 'warn'] },
  );
  app.useGlobalFilters(new ProblemDetailsFilter(app.get(HttpAdapterHost)));
  app.useWebSocketAdapter(new WsAdapter(app));
  return app;
}
