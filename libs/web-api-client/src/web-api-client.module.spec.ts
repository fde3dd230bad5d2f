import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebApiDefinitionError } from './errors/web-api-client.errors';
import { MesWebApiClientOptions } from './interfaces/mes-web-api-client-options.interface';
import { MesWebApiClient } from './mes-web-api-client';
import { MesWebApiClientModule } from './web-api-client.module';

const ITEM = {
  Name: 'usr',
  'Base Address': 'http://127.0.0.1:1/mesmw/',
  'Authentication Mode': 'User Access Token',
};

@Injectable()
class ClientConfig {
  create(): MesWebApiClientOptions {
    return { definitions: [ITEM], logger: false };
  }
}

@Module({ providers: [ClientConfig], exports: [ClientConfig] })
class ClientConfigModule {}

describe('MesWebApiClientModule', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mes-client-module-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function clientOf(module: Parameters<typeof Test.createTestingModule>[0]) {
    const app = await Test.createTestingModule(module).compile();
    await app.init();
    const client = app.get(MesWebApiClient);
    await app.close();
    return client;
  }

  it('forRoot with a definitions file', async () => {
    const file = join(dir, 'defs.json');
    writeFileSync(file, JSON.stringify([ITEM]));
    const client = await clientOf({
      imports: [MesWebApiClientModule.forRoot({ definitionsFile: file, logger: false })],
    });
    expect(client.definitionNames).toEqual(['usr']);
  });

  it('forRootAsync with useFactory', async () => {
    const client = await clientOf({
      imports: [
        MesWebApiClientModule.forRootAsync({
          useFactory: () => ({ definitions: [ITEM], logger: false }),
        }),
      ],
    });
    expect(client.definition('usr').baseAddress).toBe('http://127.0.0.1:1/mesmw/');
  });

  it('forRootAsync with useClass and useExisting', async () => {
    const byClass = await clientOf({
      imports: [MesWebApiClientModule.forRootAsync({ useClass: ClientConfig })],
    });
    expect(byClass.definitionNames).toEqual(['usr']);
    const byExisting = await clientOf({
      imports: [
        MesWebApiClientModule.forRootAsync({
          imports: [ClientConfigModule],
          useExisting: ClientConfig,
        }),
      ],
    });
    expect(byExisting.definitionNames).toEqual(['usr']);
  });

  it('is global with isGlobal: true', async () => {
    @Injectable()
    class Consumer {
      constructor(readonly client: MesWebApiClient) {}
    }
    @Module({ providers: [Consumer] })
    class FeatureModule {}
    const app = await Test.createTestingModule({
      imports: [
        MesWebApiClientModule.forRoot({ definitions: [ITEM], logger: false, isGlobal: true }),
        FeatureModule,
      ],
    }).compile();
    expect(app.get(Consumer).client).toBeInstanceOf(MesWebApiClient);
    await app.close();
  });

  it('fails at start-up on an invalid definition', async () => {
    await expect(
      Test.createTestingModule({
        imports: [
          MesWebApiClientModule.forRoot({
            definitions: [{ ...ITEM, 'Base Address': 'http://127.0.0.1:1/mesmw' }],
            logger: false,
          }),
        ],
      }).compile(),
    ).rejects.toThrow(WebApiDefinitionError);
  });
});
