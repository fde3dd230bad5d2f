import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { MesWebApiClient } from '@mes-web-api/web-api-client';
import WebSocket from 'ws';
import { AppModule } from '../src/app.module';
import { AdapterName, createConsumerApp } from '../src/create-app';
import { DirectoryAppModule } from '../src/directory-app.module';
import { writeSwaggerFile } from '../src/swagger';
import { Authority, startAuthority } from './dev-authority';

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

let authority: Authority;
const dir = mkdtempSync(join(tmpdir(), 'consumer-app-'));

before(async () => {
  authority = await startAuthority();
});

after(async () => {
  await authority?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

function caller(origin: string) {
  return async (method: string, path: string, token?: string): Promise<Answer> => {
    const response = await fetch(origin + path, {
      method,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      headers: response.headers,
    };
  };
}

/**
 * Opens a WebSocket to the gateway; with `ask`, sends `whoami` once open. Resolves with the
 * answer, or with the close code and reason (a refused socket is closed by the server).
 */
function connect(
  origin: string,
  token: string | undefined,
  ask: boolean,
): Promise<{ data?: unknown; code?: number; reason?: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/events`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    if (ask) socket.on('open', () => socket.send(JSON.stringify({ event: 'whoami' })));
    socket.on('message', (raw: WebSocket.RawData) => {
      const message = JSON.parse(String(raw)) as { event: string; data: unknown };
      socket.close();
      resolve({ data: message.data });
    });
    socket.on('close', (code: number, reason: Buffer) => resolve({ code, reason: String(reason) }));
    socket.on('error', reject);
  });
}

for (const adapter of ['express', 'fastify'] as AdapterName[]) {
  describe(`the consumer app on ${adapter}`, () => {
    let app: INestApplication;
    let call: ReturnType<typeof caller>;
    let origin: string;
    const user = (name: string) => authority.userToken(name);

    before(async () => {
      const dbPath = join(dir, `${adapter}.sqlite`);
      app = await createConsumerApp(
        AppModule.forRoot({ issuer: authority.issuer, dbPath }),
        adapter,
      );
      origin = await listen(app);
      call = caller(origin);
    });

    after(async () => {
      await app?.close();
    });

    it('@Public(): no token needed', async () => {
      const res = await call('GET', '/hello');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { hello: 'world' });
    });

    it('no token or a bad one: 401 problem with a Bearer challenge', async () => {
      const missing = await call('GET', '/me');
      assert.equal(missing.status, 401);
      assert.equal(missing.body.code, 'TOKEN_MISSING');
      assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer realm=/);
      assert.match(missing.headers.get('content-type') ?? '', /^application\/problem\+json/);
      const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
      const forged = await call('GET', '/me', `${part({ alg: 'none' })}.${part({ sub: 'x' })}.`);
      assert.equal(forged.status, 401);
      assert.equal(forged.body.code, 'TOKEN_INVALID');
    });

    it('@CurrentMesUser(): an active MES user from a real login; inactive users are refused', async () => {
      const me = await call('GET', '/me', await user('mes\\operator'));
      assert.equal(me.status, 200);
      assert.deepEqual(me.body, { userId: 'mes\\operator', mode: 'user', clientId: 'mes-cli' });
      const former = await call('GET', '/me', await user('mes\\former'));
      assert.equal(former.status, 403);
      assert.equal(former.body.code, 'MES_USER_INACTIVE');
    });

    it('a service token runs as the background user of the MES database (attribute 199)', async () => {
      const res = await call('POST', '/orders/import', await authority.serviceToken());
      assert.equal(res.status, 201);
      assert.deepEqual(res.body, {
        importedBy: 'Default Background User',
        backgroundUser: 'Default Background User',
      });
    });

    it("mes-plant: the MES entity through its service, with the caller's entity access", async () => {
      const operator = await user('mes\\operator');
      const filler = await call('GET', '/plant/entities/5', operator);
      assert.equal(filler.status, 200);
      assert.deepEqual(filler.body, { ent_id: 5, ent_name: 'Filler 1' });
      const lab = await call('GET', '/plant/entities/8', operator); // Quality Lab: no access
      assert.equal(lab.status, 404);
      assert.equal(lab.body.code, 'ENTITY_ACCESS_DENIED');
    });

    it('mes-transactions: POST api/v3/transaction opens one, a trans_id header reads in it, PUT ends it', async () => {
      const operator = await user('mes\\operator');
      const opened = await call('POST', '/api/v3/transaction', operator);
      assert.equal(opened.status, 200);
      const transId = String(opened.body.trans_id);
      assert.match(transId, /^[0-9a-f-]{36}$/);
      const inside = await fetch(`${origin}/plant/entities/5`, {
        headers: { authorization: `Bearer ${operator}`, trans_id: transId },
      });
      assert.equal(inside.status, 200);
      assert.deepEqual(await inside.json(), { ent_id: 5, ent_name: 'Filler 1' });
      const ended = await call(
        'PUT',
        `/api/v3/transaction?action=rollback&trans_id=${transId}`,
        operator,
      );
      assert.equal(ended.status, 200);
      assert.deepEqual(ended.body, { trans_id: transId, outcome: 'rolled_back' });
      const gone = await fetch(`${origin}/plant/entities/5`, {
        headers: { authorization: `Bearer ${operator}`, trans_id: transId },
      });
      assert.equal(gone.status, 404);
      assert.equal(((await gone.json()) as { code: string }).code, 'TRANSACTION_NOT_FOUND');
    });

    it("mes-methods: the app's own MES method, as its route and through MiddlewareAccess", async () => {
      const operator = await user('mes\\operator');
      const route = await call('GET', '/api/v3/consumerEntity/key?entId=5', operator);
      assert.equal(route.status, 200);
      assert.deepEqual(route.body, { ent_id: 5, ent_name: 'Filler 1' });
      const generic = await call(
        'GET',
        '/api/v3/MiddlewareAccess/consumerentity.getbykey?entId=5',
        operator,
      );
      assert.equal(generic.status, 200);
      assert.deepEqual(generic.body, route.body);
      const denied = await call('GET', '/api/v3/consumerEntity/key?entId=8', operator);
      assert.equal(denied.status, 404);
      assert.equal(denied.body.code, 'ENTITY_ACCESS_DENIED');
      const invalid = await call('GET', '/api/v3/consumerEntity/key?entId=x', operator);
      assert.equal(invalid.status, 400);
    });

    it("mes-direct-access: the app's own procedure file, for holders of the privilege only", async () => {
      const params = encodeURIComponent(JSON.stringify({ parent_ent_id: 3 }));
      const path = `/api/v3/DirectAccess?spName=consumer_entities&spParams=${params}`;
      const rows = await fetch(origin + path, {
        headers: { authorization: `Bearer ${await user('mes\\supervisor')}` },
      });
      assert.equal(rows.status, 200);
      assert.deepEqual(await rows.json(), [
        { ent_id: 5, ent_name: 'Filler 1' },
        { ent_id: 6, ent_name: 'Labeler 1' },
      ]);
      const operator = await call('GET', path, await user('mes\\operator'));
      assert.equal(operator.status, 403);
      assert.equal(operator.body.code, 'PRIVILEGE_MISSING');
      const other = await call(
        'GET',
        '/api/v3/DirectAccess?spName=sp_SA_job_queue',
        await user('mes\\supervisor'),
      );
      assert.equal(other.status, 404); // not in the allow-list
    });

    it('web-api-client: a service-to-service Web API definition calls the app', async () => {
      const client = new MesWebApiClient({
        definitions: [
          {
            name: 'Consumer service',
            baseAddress: `${origin}/`,
            requestUri: '',
            authenticationMode: 'Service to Service Access Token',
            authority: authority.issuer,
            clientId: 'mes-scheduler',
            clientSecret: 'dev-scheduler-secret',
          },
        ],
        logger: false,
      });
      const me = await client.get<Record<string, unknown>>('Consumer service', 'me');
      assert.deepEqual(me, {
        userId: 'Default Background User',
        mode: 'service',
        clientId: 'mes-scheduler',
      });
    });

    it('@UserTokensOnly() / @ServiceTokensOnly(): the other kind of token gets 403', async () => {
      const orders = await call('GET', '/orders', await user('mes\\operator'));
      assert.equal(orders.status, 200);
      const serviceOnOrders = await call('GET', '/orders', await authority.serviceToken());
      assert.equal(serviceOnOrders.status, 403);
      assert.equal(serviceOnOrders.body.code, 'TOKEN_KIND_NOT_ALLOWED');
      assert.match(String(serviceOnOrders.body.detail), /user access tokens only/);
      const userOnImport = await call('POST', '/orders/import', await user('mes\\operator'));
      assert.equal(userOnImport.status, 403);
      assert.equal(userOnImport.body.code, 'TOKEN_KIND_NOT_ALLOWED');
      assert.match(String(userOnImport.body.detail), /service \(client-credentials\) tokens only/);
    });

    it('@RequirePrivilege(): MES privileges through the user groups', async () => {
      const supervisor = await call('DELETE', '/orders/WO-1', await user('mes\\supervisor'));
      assert.equal(supervisor.status, 200);
      assert.deepEqual(supervisor.body, { deleted: 'WO-1' });
      const operator = await call('DELETE', '/orders/WO-1', await user('mes\\operator'));
      assert.equal(operator.status, 403);
      assert.equal(operator.body.code, 'PRIVILEGE_MISSING');
      assert.equal(
        operator.body.detail,
        '"mes\\operator" does not have the privilege to edit master data (privilege 2).',
      );
    });

    it('@RequireScope(): 403 SCOPE_MISSING with an insufficient_scope challenge', async () => {
      const system = await call('GET', '/system', await authority.serviceToken());
      assert.equal(system.status, 200);
      const reports = await call('GET', '/reports', await user('mes\\supervisor'));
      assert.equal(reports.status, 403);
      assert.equal(reports.body.code, 'SCOPE_MISSING');
      assert.match(
        reports.headers.get('www-authenticate') ?? '',
        /error="insufficient_scope", scope="reports:read"/,
      );
    });

    it('a WebSocket gateway authenticates at the handshake (guard getRequest hook)', async () => {
      assert.deepEqual(await connect(origin, await user('mes\\operator'), true), {
        data: { userId: 'mes\\operator', mode: 'user', clientId: 'mes-cli' },
      });
      assert.deepEqual(await connect(origin, undefined, false), {
        code: 4401,
        reason: 'TOKEN_MISSING',
      });
      assert.deepEqual(await connect(origin, await user('mes\\former'), false), {
        code: 4403,
        reason: 'MES_USER_INACTIVE',
      });
    });
  });
}

describe('the token guards with the app own users (no MES tables, no database)', () => {
  let app: INestApplication;
  let call: ReturnType<typeof caller>;

  before(async () => {
    app = await createConsumerApp(
      DirectoryAppModule.forRoot({ issuer: authority.issuer }),
      'fastify',
    );
    call = caller(await listen(app));
  });

  after(async () => {
    await app?.close();
  });

  it('asks the replacement lookup and privilege source', async () => {
    const operator = await authority.userToken('mes\\operator');
    assert.equal((await call('GET', '/directory/me', operator)).status, 200);
    assert.equal((await call('GET', '/directory/audit', operator)).status, 200);
    const supervisor = await call(
      'GET',
      '/directory/me',
      await authority.userToken('mes\\supervisor'),
    );
    assert.equal(supervisor.status, 403);
    assert.equal(supervisor.body.code, 'MES_USER_NOT_FOUND');
    const service = await call('GET', '/directory/me', await authority.serviceToken());
    assert.equal(service.status, 401);
  });
});

describe('the Swagger generator with a deployment exclusion file', () => {
  it('leaves out the methods the file names, and says why', async () => {
    const out = join(dir, 'swagger.json');
    const result = await writeSwaggerFile(out, 'http://127.0.0.1:5000/identitymanager');
    const document = JSON.parse(readFileSync(out, 'utf8')) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
      'x-mes-excluded': Array<{ method: string; reason: string }>;
    };
    const ids = Object.values(document.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    assert.ok(ids.includes('FactMES.API.Consumer.Order.GetAll'));
    assert.ok(ids.includes('FactMES.API.Consumer.Order.Delete'));
    assert.ok(!ids.includes('FactMES.API.Consumer.Order.Import'));
    assert.equal(document.paths['/orders/import'], undefined);
    assert.deepEqual(
      document['x-mes-excluded'].filter((e) => e.reason === 'deployment'),
      [{ method: 'FactMES.API.Consumer.Order.Import', reason: 'deployment' }],
    );
    assert.deepEqual(result.unmatched.deployment, []);
  });
});
