// A third reference: Nest on the fastify adapter (no guards, hooks or database), one controller
// doing exactly the bare server's work: the same constant body and content type on every request,
// sent through the reply as the API's MES routes send theirs. The gap between it and fastify
// alone is Nest's; the gap between it and the API is ours.
// Prints "nest server ready: <origin>".
import 'reflect-metadata';
import { Controller, Get, Module, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  REFERENCE_BODY,
  REFERENCE_CONTENT_TYPE,
  REFERENCE_FASTIFY_OPTIONS,
} from './reference-answer.mjs';

class ReferenceController {
  answer(reply) {
    reply.header('content-type', REFERENCE_CONTENT_TYPE).send(REFERENCE_BODY);
  }
}
const descriptor = Object.getOwnPropertyDescriptor(ReferenceController.prototype, 'answer');
Res()(ReferenceController.prototype, 'answer', 0);
Get('/')(ReferenceController.prototype, 'answer', descriptor);
Controller()(ReferenceController);

class ReferenceModule {}
Module({ controllers: [ReferenceController] })(ReferenceModule);

const adapter = new FastifyAdapter({ ...REFERENCE_FASTIFY_OPTIONS, skipMiddie: true });
const app = await NestFactory.create(ReferenceModule, adapter, {
  logger: false,
  bodyParser: false,
});
await app.listen(0, '127.0.0.1');
console.log(`nest server ready: http://127.0.0.1:${app.getHttpServer().address().port}`);
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
