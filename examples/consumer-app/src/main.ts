import { AppModule } from './app.module';
import { AdapterName, createConsumerApp } from './create-app';

/** `ADAPTER=express|fastify AIM_AUTHORITY=<issuer> DB_PATH=<file> PORT=<n> npm start` */
async function main(): Promise<void> {
  const adapter: AdapterName = process.env.ADAPTER === 'express' ? 'express' : 'fastify';
  const issuer = process.env.AIM_AUTHORITY ?? 'http://127.0.0.1:5000/identitymanager';
  const app = await createConsumerApp(
    AppModule.forRoot({ issuer, dbPath: process.env.DB_PATH ?? './data/consumer.sqlite' }),
    adapter,
  );
  await app.listen(Number(process.env.PORT ?? 3100), '127.0.0.1');
  console.log(`consumer app (${adapter}) on ${await app.getUrl()}`);
}

void main();
