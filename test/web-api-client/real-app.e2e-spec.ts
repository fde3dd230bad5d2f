import { DataSource } from 'typeorm';
import {
  MesWebApiClient,
  MesWebApiClientLogger,
  MesWebApiError,
  MesWebApiAuthError,
} from '@mes-web-api/web-api-client';
import { startScheduler } from '../../apps/mes-scheduler-example/src/scheduler';
import { e2eIssuer, RunningApi, startApi } from '../support/api';
import { DEV_AUTHORITY } from '../support/dev-authority';
import { userToken } from '../support/tokens';

/** The client against the real API and the real development authority, in both modes. */
describe('MesWebApiClient against the running MES Web API', () => {
  let api: RunningApi;
  let client: MesWebApiClient;
  const logs: string[] = [];
  const logger: MesWebApiClientLogger = {
    log: (m) => logs.push(m),
    warn: (m) => logs.push(m),
    debug: (m) => logs.push(m),
  };

  beforeAll(async () => {
    api = await startApi();
    client = new MesWebApiClient({
      logger,
      env: { MES_CLIENT_SECRET: DEV_AUTHORITY.serviceClientSecret },
      definitions: [
        {
          Name: 'MES service',
          Source: 'Generic',
          'Base Address': `${api.base}/`,
          'Request (URI)': 'api',
          'Authentication Mode': 'Service to Service Access Token',
          Authority: e2eIssuer(),
          Audience: 'system',
          'Client ID': DEV_AUTHORITY.serviceClientId,
          'Client Secret': 'env:MES_CLIENT_SECRET',
          Scope: 'system',
        },
        {
          Name: 'MES service, token endpoint as authority',
          'Base Address': `${api.base}/`,
          'Authentication Mode': 'Service to Service Access Token',
          Authority: `${e2eIssuer()}/connect/token`,
          'Client ID': DEV_AUTHORITY.serviceClientId,
          'Client Secret': 'env:MES_CLIENT_SECRET',
        },
        {
          Name: 'MES service, wrong secret',
          'Base Address': `${api.base}/`,
          'Authentication Mode': 'Service to Service Access Token',
          Authority: e2eIssuer(),
          'Client ID': DEV_AUTHORITY.serviceClientId,
          'Client Secret': 'not-the-secret',
        },
        {
          Name: 'MES user',
          'Base Address': `${api.base}/`,
          'Request (URI)': 'api',
          'Authentication Mode': 'User Access Token',
        },
      ],
    });
  });
  afterAll(() => api.close());

  const row199 = () =>
    api.app
      .get(DataSource)
      .query<{ attr_value: string; last_edit_by: string }[]>(
        'select attr_value, last_edit_by from system_attr where attr_id = 199',
      )
      .then((rows) => rows[0]);

  it('service to service: gets its own token and the write is stamped with the background user', async () => {
    const res = await client.request('PUT', 'MES service', 'api/v3/systemAttribute/{attrId}', {
      params: { attrId: 199 },
      body: { attr_value: 'Default Background User' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ attr_id: 199, last_edit_by: 'Default Background User' });
    await expect(row199()).resolves.toEqual({
      attr_value: 'Default Background User',
      last_edit_by: 'Default Background User',
    });
  });

  it('service to service: an Authority given as the token endpoint works too', async () => {
    const body = await client.get<{ attr_value: string }>(
      'MES service, token endpoint as authority',
      'api/v3/systemAttribute/199',
    );
    expect(body.attr_value).toBe('Default Background User');
  });

  it('user mode: forwards the logged-in user token; the write is stamped with that user', async () => {
    const token = await userToken('mes\\supervisor');
    const body = await client.put('MES user', 'api/v3/systemAttribute/199', {
      body: { attr_value: 'Default Background User' },
      userToken: token,
    });
    expect(body).toMatchObject({ last_edit_by: 'mes\\supervisor' });
    await expect(row199()).resolves.toMatchObject({ last_edit_by: 'mes\\supervisor' });
  });

  it('user mode: surfaces the MES status and message of a refusal', async () => {
    const token = await userToken('mes\\operator');
    const error = await client
      .put('MES user', 'api/v3/systemAttribute/199', {
        body: { attr_value: 'mes\\operator' },
        userToken: token,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MesWebApiError);
    expect((error as MesWebApiError).statusCode).toBe(403);
    expect((error as MesWebApiError).webApiErrorMessage).toMatch(
      /does not have the privilege to edit system attributes/,
    );
  });

  it('a wrong client secret fails with an error naming the authority, and no secret anywhere', async () => {
    const error = await client
      .get('MES service, wrong secret', 'api/v3/systemAttribute/199')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MesWebApiAuthError);
    expect(String((error as Error).message)).toContain(e2eIssuer());
    for (const text of [String((error as Error).message), ...logs]) {
      expect(text).not.toContain('not-the-secret');
      expect(text).not.toContain(DEV_AUTHORITY.serviceClientSecret);
    }
  });

  it('the scheduled background caller runs a service call on an interval against the API', async () => {
    const lines: string[] = [];
    const scheduler = startScheduler(
      { definition: 'MES service', method: 'GET', route: 'api/v3/systemAttribute/199' },
      { everyMs: 100 },
      { client, log: (line) => lines.push(line) },
    );
    const deadline = Date.now() + 10_000;
    while (lines.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await scheduler.stop();
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines)
      expect(line).toMatch(/GET api\/v3\/systemAttribute\/199 via "MES service" → 200/);
  });
});
