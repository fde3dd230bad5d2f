import { DataSource } from 'typeorm';
import { MesMethodRegistry } from '@mes-web-api/mes-methods';
import { MES_METHODS } from '../../apps/mes-web-api/src/methods';
import { call, RunningApi, startApi } from '../support/api';
import { serviceToken, userToken } from '../support/tokens';

/*
 * MiddlewareAccess: every registered MES method through `api/v3/MiddlewareAccess/{object.command}`
 * answers exactly as its own route does. Generated over the whole registry: a method without a
 * sample call here fails the test, so none can be left out.
 */

const registry = new MesMethodRegistry(MES_METHODS);

interface Sample {
  query?: Record<string, string>;
  params?: Record<string, string>;
  body?: unknown;
}

/**
 * One call per method, in this order, against the demo data. Writes are real (the two
 * instances below start from identical databases and get the same calls in the same order).
 */
const SAMPLES: ReadonlyArray<[string, Sample]> = [
  ['FactMES.API.Core.SystemAttribute.GetAll', {}],
  ['FactMES.API.Core.SystemAttribute.GetByKey', { params: { attrId: '199' } }],
  ['FactMES.API.Core.SystemAttribute.GetValue', { params: { attrId: '100' } }],
  [
    'FactMES.API.Core.SystemAttribute.SetValue',
    { params: { attrId: '110' }, body: { attr_value: '30' } },
  ],
  ['FactMES.API.Core.UserName.GetAll', { query: { max_rows: '2' } }],
  ['FactMES.API.Core.UserName.GetByKey', { query: { userId: 'mes\\operator' } }],
  ['FactMES.API.Core.Ent.GetAll', { query: { parentEntId: '3' } }],
  ['FactMES.API.Core.Ent.GetByKey', { query: { entId: '5', tz_id: 'Europe/Berlin' } }],
  ['FactMES.API.Core.Ent.GetByFilter', { query: { canRunJobs: 'true' } }],
  ['FactMES.API.Core.Ent.GetEntID', { query: { entName: 'Filler 2' } }],
  [
    'FactMES.API.Core.Ent.Add',
    { body: { ent_name: 'Parity Cell', parent_ent_id: 3, can_run_jobs: true } },
  ],
  [
    'FactMES.API.Core.Ent.Update',
    { query: { entId: '9' }, body: { ent_name: 'Parity Cell 2', parent_ent_id: 3 } },
  ],
  ['FactMES.API.Core.Ent.Delete', { query: { entId: '9' } }],
  ['FactMES.API.Prod.Item.GetAll', { query: { sold: 'true' } }],
  ['FactMES.API.Prod.Item.GetByKey', { query: { itemId: 'WIDGET-100' } }],
  [
    'FactMES.API.Prod.Item.Add',
    {
      body: {
        item_id: 'PARITY-1',
        item_desc: 'Parity item',
        item_class_id: 'FINISHED',
        uom_id: 1,
        template: false,
        obsolete: false,
        purchased: false,
        sold: true,
        num_decimals: 0,
        must_complete_steps: false,
        must_prod__reqd_qty: false,
        auto_re_order: false,
        serial_no_lvl: 0,
        inv_unique_by_job: false,
      },
    },
  ],
  [
    'FactMES.API.Prod.Item.Update',
    {
      query: { itemId: 'PARITY-1' },
      body: {
        item_desc: 'Parity item 2',
        item_class_id: 'FINISHED',
        uom_id: 2,
        obsolete: false,
        purchased: false,
        sold: true,
        num_decimals: 1,
      },
    },
  ],
  [
    'FactMES.API.Prod.Item.UpdateSpecific',
    { query: { itemId: 'PARITY-1' }, body: { sold: false } },
  ],
  ['FactMES.API.Prod.Item.Delete', { query: { itemId: 'PARITY-1' } }],
  ['FactMES.API.Prod.WO.GetAll', {}],
  ['FactMES.API.Prod.WO.GetByKey', { query: { woId: 'WO-1001' } }],
  ['FactMES.API.Prod.WO.GetByFilter', { query: { itemId: 'WIDGET-100' } }],
  ['FactMES.API.Prod.WO.Add', { body: { wo_id: 'WO-PARITY', item_id: 'WIDGET-200', req_qty: 10 } }],
  ['FactMES.API.Prod.Job.GetByKey', { query: { woId: 'WO-1001', operId: 'OP20', seqNo: '0' } }],
  ['FactMES.API.Prod.Job.GetByFilter', { query: { stateCd: '3' } }],
  ['FactMES.API.Prod.Job.Get', { query: { woId: 'WO-1001' } }],
  [
    'FactMES.API.Prod.JobExec.StartJob',
    { body: { wo_id: 'WO-1001', oper_id: 'OP30', seq_no: 0, ent_id: 6, run_ent_id: 6 } },
  ],
  [
    'FactMES.API.Prod.Production.AddByJob',
    { body: { wo_id: 'WO-1001', oper_id: 'OP30', seq_no: 0, qty_prod: 12 } },
  ],
  ['FactMES.API.Prod.Production.AddByEnt', { body: { ent_name: 'Labeler 1', qty_prod: 3 } }],
  ['FactMES.API.Prod.JobExec.PauseJob', { body: { wo_id: 'WO-1001', oper_id: 'OP30', seq_no: 0 } }],
  [
    'FactMES.API.Prod.Job.ChangeJobStates',
    { body: { wo_id: 'WO-1001', oper_id: 'OP30', seq_no: 0, state_cd: 3, ent_id: 6 } },
  ],
  ['FactMES.API.Prod.JobExec.EndJob', { body: { run_ent_id: 6 } }],
  ['FactMES.API.Core.ShiftSchedule.GetAll', { query: { entId: '3' } }],
  ['FactMES.API.Core.ShiftSchedule.GetByKey', { query: { shiftSchedId: '1' } }],
  [
    'FactMES.API.Core.ShiftSchedule.Add',
    {
      body: {
        ent_id: 3,
        shift_id: 9,
        shift_name: 'Parity',
        start_offset_min: 60,
        duration_min: 120,
      },
    },
  ],
  [
    'FactMES.API.Core.ShiftSchedule.Update',
    {
      query: { shiftSchedId: '6' },
      body: {
        ent_id: 3,
        shift_id: 9,
        shift_name: 'Parity 2',
        start_offset_min: 90,
        duration_min: 60,
      },
    },
  ],
  ['FactMES.API.Core.ShiftSchedule.Delete', { query: { shiftSchedId: '6' } }],
  ['FactMES.API.Core.ShiftPattern.GetAll', {}],
  ['FactMES.API.Core.ShiftPattern.Add', { body: { pattern_name: 'Parity pattern' } }],
  [
    'FactMES.API.Core.ShiftPattern.Update',
    { query: { patternId: '3' }, body: { pattern_name: 'Parity pattern 2' } },
  ],
];

/**
 * Members that differ between two identical runs: datetimes (the demo data is seeded relative to
 * the start), generated mod_ids, and the request path in problem bodies.
 */
const VOLATILE = /(_utc|_local|_at|^mod_id|^instance)$/;

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    out[key] = VOLATILE.test(key) ? typeof member : stable(member);
  }
  return out;
}

function routeUrl(base: string, path: string, sample: Sample): string {
  const withParams = path.replace(/:([A-Za-z]\w*)/g, (_, name: string) =>
    encodeURIComponent(sample.params?.[name] ?? ''),
  );
  const query = new URLSearchParams(sample.query ?? {}).toString();
  return `${base}/${withParams}${query ? `?${query}` : ''}`;
}

function middlewareAccessUrl(base: string, objectCommand: string, sample: Sample): string {
  const query = new URLSearchParams({
    ...(sample.params ?? {}),
    ...(sample.query ?? {}),
  }).toString();
  return `${base}/api/v3/MiddlewareAccess/${objectCommand}${query ? `?${query}` : ''}`;
}

describe('MiddlewareAccess answers every registered MES method as its own route does', () => {
  it('has a sample call for every registered method (a new method must add one)', () => {
    const sampled = new Set(SAMPLES.map(([name]) => name));
    expect(registry.methods.map((m) => m.name).filter((name) => !sampled.has(name))).toEqual([]);
    expect([...sampled].filter((name) => registry.byMesName(name) === undefined)).toEqual([]);
  });

  describe.each([
    ['a user token (mes\\supervisor)', () => userToken('mes\\supervisor')],
    ['a service token (background user)', () => serviceToken()],
  ])('with %s', (_mode, token) => {
    let viaRoute: RunningApi;
    let viaMiddlewareAccess: RunningApi;
    let bearer: string;

    beforeAll(async () => {
      [viaRoute, viaMiddlewareAccess] = await Promise.all([startApi(), startApi()]);
      bearer = await token();
    });
    afterAll(async () => {
      await Promise.all([viaRoute?.close(), viaMiddlewareAccess?.close()]);
    });

    it('same status and body for each method, in order, and the same database afterwards', async () => {
      const differences: string[] = [];
      for (const [name, sample] of SAMPLES) {
        const method = registry.byMesName(name);
        if (!method) throw new Error(`${name} is not registered`);
        const { verb, path } = method.definition;
        const expected = await call(routeUrl(viaRoute.base, path, sample), {
          method: verb,
          token: bearer,
          body: sample.body,
        });
        // Case-insensitive object and command, as workflow content spells them.
        const spelled = `${method.object.toLowerCase()}.${method.command}`;
        const actual = await call(middlewareAccessUrl(viaMiddlewareAccess.base, spelled, sample), {
          method: verb === 'PATCH' ? 'PUT' : verb,
          token: bearer,
          body: sample.body,
        });
        if (expected.status >= 500)
          differences.push(`${name}: the route answered ${expected.status}`);
        const a = JSON.stringify({ status: expected.status, body: stable(expected.body) });
        const b = JSON.stringify({ status: actual.status, body: stable(actual.body) });
        if (a !== b) differences.push(`${name}:\n  route ${a}\n  MA    ${b}`);
      }
      expect(differences).toEqual([]);
      const dump = async (api: RunningApi) => {
        const ds = api.app.get(DataSource);
        const out: Record<string, unknown> = {};
        for (const table of [
          'ent',
          'item',
          'wo',
          'job',
          'job_exec',
          'shift_sched',
          'shift_pattern',
          'system_attr',
        ]) {
          out[table] = stable(await ds.query(`SELECT * FROM ${table} ORDER BY 1, 2`));
        }
        out.history = await ds.query(
          'SELECT wo_id, oper_id, seq_no, ent_id, state_cd_before, state_cd_after, event, qty, user_id FROM job_history ORDER BY job_history_id',
        );
        return out;
      };
      const [a, b] = await Promise.all([dump(viaRoute), dump(viaMiddlewareAccess)]);
      expect(b).toEqual(a);
    }, 60_000);
  });
});

describe('MiddlewareAccess: the other forms, batches and refusals', () => {
  let api: RunningApi;
  let supervisor: string;
  let operator: string;
  let ma: string;

  beforeAll(async () => {
    api = await startApi();
    [supervisor, operator] = await Promise.all([
      userToken('mes\\supervisor'),
      userToken('mes\\operator'),
    ]);
    ma = `${api.base}/api/v3/MiddlewareAccess`;
  });
  afterAll(() => api.close());

  const entCount = async (): Promise<number> =>
    (await api.app.get(DataSource).query<{ n: number }[]>('SELECT COUNT(*) AS n FROM ent'))[0].n;

  it('GET ?obj=&cmd=&parms={json} answers as the route; parms may be a list of one-member objects', async () => {
    const route = await call(`${api.base}/api/v3/entity/key?entId=5`, { token: operator });
    const object = await call(
      `${ma}?obj=ent&cmd=getbykey&parms=${encodeURIComponent('{"entId":5}')}`,
      {
        token: operator,
      },
    );
    const list = await call(
      `${ma}?obj=Ent&cmd=GetByKey&parms=${encodeURIComponent('[{"entId":"5"}]')}`,
      { token: operator },
    );
    expect(object.status).toBe(200);
    expect(object.text).toBe(route.text);
    expect(list.text).toBe(route.text);
    const all = await call(`${ma}?obj=ent&cmd=GetAll`, { token: operator });
    expect(all.status).toBe(200);
    expect(all.body.length).toBeGreaterThan(1);
  });

  it('POST {obj, cmd, parms} answers a JSON array of what was added', async () => {
    const res = await call(ma, {
      method: 'POST',
      token: supervisor,
      body: { obj: 'ent', cmd: 'Add', parms: [{ ent_name: 'Roaster' }, { parent_ent_id: 3 }] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([expect.objectContaining({ ent_name: 'Roaster', parent_ent_id: 3 })]);
    expect(res.body[0].ent_id).toEqual(expect.any(Number));
  });

  it('a batch {cmds} runs in one transaction: its answers in order, all written', async () => {
    const before = await entCount();
    const res = await call(ma, {
      method: 'POST',
      token: supervisor,
      body: {
        cmds: [
          { obj: 'ent', cmd: 'Add', parms: [{ ent_name: 'Batch A' }, { parent_ent_id: 3 }] },
          { obj: 'ent', cmd: 'Add', parms: { ent_name: 'Batch B', parent_ent_id: 3 } },
          { obj: 'ent', cmd: 'GetEntID', parms: [{ entName: 'Batch A' }] },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(3);
    expect(res.body[2]).toEqual({ ent_id: res.body[0].ent_id });
    expect(await entCount()).toBe(before + 2);
  });

  it('a batch that fails in its third command leaves nothing written and names the command', async () => {
    const before = await entCount();
    const res = await call(ma, {
      method: 'POST',
      token: supervisor,
      body: {
        cmds: [
          { obj: 'ent', cmd: 'Add', parms: [{ ent_name: 'Doomed A' }, { parent_ent_id: 3 }] },
          { obj: 'ent', cmd: 'Add', parms: [{ ent_name: 'Doomed B' }, { parent_ent_id: 3 }] },
          { obj: 'ent', cmd: 'Add', parms: [{ ent_name: 'Doomed A' }, { parent_ent_id: 3 }] },
          { obj: 'ent', cmd: 'Add', parms: [{ ent_name: 'Never' }] },
        ],
      },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'BUSINESS_RULE',
      failed_command: 3,
      failed_object_command: 'Ent.Add',
    });
    expect(res.body.detail).toBe(
      'Command 3 (Ent.Add) failed: An entity named "Doomed A" already exists. Nothing was written.',
    );
    expect(await entCount()).toBe(before);
    const invalid = await call(ma, {
      method: 'POST',
      token: supervisor,
      body: {
        cmds: [
          { obj: 'ent', cmd: 'Add', parms: [{ ent_name: 'Fine' }] },
          { obj: 'ent', cmd: 'Add', parms: [{ ent_name: 5.5 }] },
        ],
      },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.failed_command).toBe(2);
    expect(await entCount()).toBe(before);
  });

  it('object and command are case-insensitive; a path without a dot, an unknown object or command is a 404 naming it', async () => {
    expect((await call(`${ma}/Ent.getall`, { token: operator })).status).toBe(200);
    expect((await call(`${ma}/ENT.GETALL`, { token: operator })).status).toBe(200);
    const noDot = await call(`${ma}/entGetAll`, { token: operator });
    expect(noDot.status).toBe(404);
    expect(noDot.body.detail).toContain('entGetAll');
    const object = await call(`${ma}/Widget.GetAll`, { token: operator });
    expect(object.status).toBe(404);
    expect(object.body.detail).toBe('The MES object "Widget" is unknown to this API.');
    const command = await call(`${ma}/Ent.Explode`, { token: operator });
    expect(command.status).toBe(404);
    expect(command.body.detail).toBe('The MES object "Ent" has no command "Explode" in this API.');
    const legacy = await call(`${ma}?obj=ent&cmd=nope`, { token: operator });
    expect(legacy.status).toBe(404);
    const missing = await call(`${ma}?obj=ent`, { token: operator });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe('The required parameter cmd is missing.');
  });

  it('methods left out of the Swagger file stay callable here', async () => {
    const res = await call(`${ma}/ShiftSchedule.GetAll`, { token: operator });
    expect(res.status).toBe(200);
    const byKey = await call(`${ma}/ShiftSchedule.GetByKey?shiftSchedId=1`, { token: operator });
    expect(byKey.status).toBe(200);
  });

  it('refuses bad input as the routes do, and needs a token', async () => {
    expect((await call(`${ma}/Ent.GetAll`)).status).toBe(401);
    const badParms = await call(`${ma}?obj=ent&cmd=GetByKey&parms={oops`, { token: operator });
    expect(badParms.status).toBe(400);
    expect(badParms.body.detail).toBe('parms is not valid JSON.');
    const noPriv = await call(`${ma}/Ent.Add`, {
      method: 'POST',
      token: operator,
      body: { ent_name: 'Nope' },
    });
    expect(noPriv.status).toBe(403);
    const extra = await call(ma, {
      method: 'POST',
      token: supervisor,
      body: { obj: 'ent', cmd: 'GetAll', verbose: true },
    });
    expect(extra.status).toBe(400);
    const empty = await call(ma, { method: 'POST', token: supervisor, body: { cmds: [] } });
    expect(empty.status).toBe(400);
  });

  it('runs inside an MES transaction (trans_id)', async () => {
    const opened = await call(`${api.base}/api/v3/transaction`, {
      method: 'POST',
      token: supervisor,
    });
    const transId = opened.body.trans_id as string;
    const before = await entCount();
    const added = await call(`${ma}/Ent.Add`, {
      method: 'POST',
      token: supervisor,
      headers: { trans_id: transId },
      body: { ent_name: 'Tx Cell', parent_ent_id: 3 },
    });
    expect(added.status).toBe(200);
    const batch = await call(ma, {
      method: 'POST',
      token: supervisor,
      headers: { trans_id: transId },
      body: { cmds: [{ obj: 'ent', cmd: 'GetEntID', parms: { entName: 'Tx Cell' } }] },
    });
    expect(batch.body).toEqual([{ ent_id: added.body.ent_id }]);
    expect(await entCount()).toBe(before);
    await call(`${api.base}/api/v3/transaction?action=rollback`, {
      method: 'PUT',
      token: supervisor,
      headers: { trans_id: transId },
    });
    expect(await entCount()).toBe(before);
  });
});
