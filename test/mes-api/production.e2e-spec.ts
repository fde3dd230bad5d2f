import { wallClock } from '../support/wall-clock';
import { call } from '../support/api';
import {
  addJobs,
  BACKGROUND_USER,
  JobsWorld,
  OPERATOR,
  post,
  readHistory,
  readJob,
  snapshot,
  startJobsWorld,
} from './jobs.fixtures';

describe('production: api/v3/Production (real app, real tokens, SQLite)', () => {
  let w: JobsWorld;
  const op20 = { wo_id: 'WO-1001', oper_id: 'OP20', seq_no: 0 };

  beforeAll(async () => {
    w = await startJobsWorld();
  });

  afterAll(async () => {
    await w?.api.close();
  });

  const productionRows = async () =>
    (await readHistory(w.ds, 'WO-1001', 'OP20')).filter((h) => h.event === 'Production');

  it('POST Production/ByJob adds to the running job and records a job_history row', async () => {
    const before = Date.now();
    const res = await post(`${w.v3}/Production/ByJob`, w.operator, {
      ...op20,
      qty_prod: 25,
      comment: 'first pallet',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ...op20,
      ent_id: 5,
      ent_name: 'Filler 1',
      qty_prod: 25,
      job_qty_prod: 375,
      user_id: OPERATOR,
      job: { qty_prod: 375, state_cd: 3, last_edit_by: OPERATOR },
    });
    expect(new Date(res.body.event_at_utc as string).getTime()).toBeGreaterThanOrEqual(
      before - 1000,
    );
    expect(await readJob(w.ds, 'WO-1001', 'OP20')).toMatchObject({
      qty_prod: 375,
      last_edit_by: OPERATOR,
    });
    expect(await productionRows()).toEqual([
      expect.objectContaining({
        job_history_id: res.body.job_history_id,
        ent_id: 5,
        state_cd_before: 3,
        state_cd_after: 3,
        qty: 25,
        comment: 'first pallet',
        user_id: OPERATOR,
      }),
    ]);
  });

  it('POST Production (ent_name) adds to the job running on that entity; a service token acts as the background user', async () => {
    const res = await post(`${w.v3}/production`, w.service, {
      ent_name: 'Filler 1',
      qty_prod: 5.5,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ...op20,
      ent_id: 5,
      qty_prod: 5.5,
      job_qty_prod: 380.5,
      user_id: BACKGROUND_USER,
    });
    expect(await readJob(w.ds, 'WO-1001', 'OP20')).toMatchObject({
      qty_prod: 380.5,
      last_edit_by: BACKGROUND_USER,
    });
    expect((await productionRows()).pop()).toMatchObject({ qty: 5.5, user_id: BACKGROUND_USER });
  });

  it('tz_id adds event_at_local', async () => {
    const res = await post(`${w.v3}/Production/ByJob?tz_id=America/New_York`, w.operator, {
      ...op20,
      qty_prod: 1,
    });
    expect(res.status).toBe(200);
    expect(res.body.event_at_local).toBe(
      wallClock(new Date(res.body.event_at_utc as string), 'America/New_York'),
    );
    expect(res.body.job.act_start_time_local).toEqual(expect.any(String));
  });

  it.each([
    [
      'Ready',
      'OP30',
      'Job WO-1001-OP30-0 is Ready; production can only be recorded for a running job.',
    ],
    [
      'Completed',
      'OP10',
      'Job WO-1001-OP10-0 is Completed; production can only be recorded for a running job.',
    ],
    [
      'Suspended',
      'OP50',
      'Job WO-1001-OP50-0 is Suspended; production can only be recorded for a running job.',
    ],
  ])('a %s job is 409 and nothing changes', async (_, operId, detail) => {
    const before = await snapshot(w.ds);
    const res = await post(`${w.v3}/Production/ByJob`, w.operator, {
      wo_id: 'WO-1001',
      oper_id: operId,
      seq_no: 0,
      qty_prod: 3,
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'BUSINESS_RULE', detail });
    expect(await snapshot(w.ds)).toBe(before);
  });

  it('an entity with no running job is 409; an unknown entity or job is 404', async () => {
    const before = await snapshot(w.ds);
    const idle = await post(`${w.v3}/Production`, w.operator, {
      ent_name: 'Filler 2',
      qty_prod: 1,
    });
    expect(idle.status).toBe(409);
    expect(idle.body.detail).toBe('No job is running on entity Filler 2.');
    const unknown = await post(`${w.v3}/Production`, w.operator, {
      ent_name: 'Filler 9',
      qty_prod: 1,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe('The specified entity does not exist');
    const noJob = await post(`${w.v3}/Production/ByJob`, w.operator, {
      ...op20,
      oper_id: 'OP99',
      qty_prod: 1,
    });
    expect(noJob.status).toBe(404);
    expect(noJob.body.detail).toBe('The specified entity does not exist');
    expect(await snapshot(w.ds)).toBe(before);
  });

  it('no access to the entity (grp_ent_link) is 404; no run-jobs privilege is 403; nothing changes', async () => {
    await addJobs(w.ds, 'WO-LAB', [
      { operId: 'OP10', stateCd: 3, targetEntId: 8, runEntId: 8 },
      { operId: 'OP20', stateCd: 2, targetEntId: 8 },
    ]);
    await w.ds.query(
      "UPDATE job_exec SET cur_wo_id = 'WO-LAB', cur_oper_id = 'OP10', cur_seq_no = 0 WHERE ent_id = 8",
    );
    const before = await snapshot(w.ds);
    const labJob = (operId: string) =>
      post(`${w.v3}/Production/ByJob`, w.operator, {
        wo_id: 'WO-LAB',
        oper_id: operId,
        seq_no: 0,
        qty_prod: 1,
      });
    const byJob = await labJob('OP10');
    expect(byJob.status).toBe(404);
    expect(byJob.body.detail).toBe(
      'You do not have the appropriate privileges to access this entity',
    );
    // Not accessible and not running: the access answer comes first, as when checked in order.
    const notRunning = await labJob('OP20');
    expect(notRunning.status).toBe(404);
    expect(notRunning.body.code).toBe('ENTITY_ACCESS_DENIED');
    const byEnt = await post(`${w.v3}/Production`, w.operator, {
      ent_name: 'Quality Lab',
      qty_prod: 1,
    });
    expect(byEnt.status).toBe(404);
    expect(byEnt.body.code).toBe('ENTITY_ACCESS_DENIED');
    await w.ds.query('UPDATE grp_priv_link SET priv_value = 0 WHERE grp_id = 2 AND priv_id = 3');
    try {
      const denied = await post(`${w.v3}/Production/ByJob`, w.operator, { ...op20, qty_prod: 1 });
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('PRIVILEGE_MISSING');
    } finally {
      await w.ds.query('UPDATE grp_priv_link SET priv_value = 1 WHERE grp_id = 2 AND priv_id = 3');
    }
    expect(await snapshot(w.ds)).toBe(before);
    const supervisor = await post(`${w.v3}/Production`, w.supervisor, {
      ent_name: 'Quality Lab',
      qty_prod: 2,
    });
    expect(supervisor.status).toBe(200);
    expect(supervisor.body).toMatchObject({ wo_id: 'WO-LAB', job_qty_prod: 2 });
  });

  it.each([
    ['a negative quantity', { ...op20, qty_prod: -5 }, 'qty_prod'],
    ['a zero quantity', { ...op20, qty_prod: 0 }, 'qty_prod'],
    ['a quantity as a word', { ...op20, qty_prod: 'five' }, 'qty_prod'],
    ['a huge quantity', { ...op20, qty_prod: 1e12 }, 'qty_prod'],
    ['a null quantity', { ...op20, qty_prod: null }, 'qty_prod'],
    ['no quantity', { ...op20 }, 'qty_prod'],
    ['SQL in wo_id', { ...op20, wo_id: "WO-1001' --", qty_prod: 1 }, 'wo_id'],
    ['a huge oper_id', { ...op20, oper_id: 'O'.repeat(50_000), qty_prod: 1 }, 'oper_id'],
    ['seq_no as a word', { ...op20, seq_no: 'zero', qty_prod: 1 }, 'seq_no'],
    ['an unknown field', { ...op20, qty_prod: 1, qty_reject: 2 }, 'qty_reject'],
  ])('ByJob with %s is 400 and changes nothing', async (_, body, name) => {
    const before = await snapshot(w.ds);
    const res = await post(`${w.v3}/Production/ByJob`, w.operator, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.detail).toContain(name);
    expect(res.text).not.toMatch(/SQLITE|SELECT|UPDATE/);
    expect(await snapshot(w.ds)).toBe(before);
  });

  it.each([
    ['SQL in ent_name', { ent_name: "Filler 1'; DROP TABLE job;--", qty_prod: 1 }, 'ent_name'],
    ['a huge ent_name', { ent_name: 'F'.repeat(10_000), qty_prod: 1 }, 'ent_name'],
    ['ent_name as number', { ent_name: 5, qty_prod: 1 }, 'ent_name'],
    ['a negative quantity', { ent_name: 'Filler 1', qty_prod: -1 }, 'qty_prod'],
    ['a negative job_pos', { ent_name: 'Filler 1', qty_prod: 1, job_pos: -1 }, 'job_pos'],
    ['an unknown field', { ent_name: 'Filler 1', qty_prod: 1, ent_id: 5 }, 'ent_id'],
  ])('by entity with %s is 400 and changes nothing', async (_, body, name) => {
    const before = await snapshot(w.ds);
    const res = await post(`${w.v3}/Production`, w.operator, body);
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain(name);
    expect(await snapshot(w.ds)).toBe(before);
  });

  it.each([
    ['GET', 'Production/ByJob', 'POST'],
    ['PUT', 'production', 'POST'],
  ])('%s %s is 405 with Allow: %s', async (method, path, allow) => {
    const res = await call(`${w.v3}/${path}`, { method, token: w.operator });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
  });

  it('200 concurrent posts lose no increment and write one history row each', async () => {
    const start = (await readJob(w.ds, 'WO-1001', 'OP20'))?.qty_prod ?? NaN;
    const rowsBefore = (await productionRows()).length;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 2
          ? post(`${w.v3}/Production/ByJob`, w.operator, { ...op20, qty_prod: 1 })
          : post(`${w.v3}/Production`, w.service, { ent_name: 'Filler 1', qty_prod: 2 }),
      ),
    );
    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    expect((await readJob(w.ds, 'WO-1001', 'OP20'))?.qty_prod).toBe(start + 100 * 1 + 100 * 2);
    expect((await productionRows()).length).toBe(rowsBefore + 200);
    const totals = results.map((r) => r.body.job_qty_prod as number).sort((a, b) => a - b);
    expect(new Set(totals).size).toBe(200);
  });
});
