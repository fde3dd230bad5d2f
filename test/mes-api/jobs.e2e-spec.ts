import { wallClock } from '../support/wall-clock';
import { call } from '../support/api';
import {
  addJobs,
  BACKGROUND_USER,
  get,
  JobsWorld,
  OPERATOR,
  put,
  readExec,
  readHistory,
  readJob,
  snapshot,
  startJobsWorld,
} from './jobs.fixtures';

const STATES = [1, 2, 3, 4, 5, 6, 7] as const;
const NAMES = ['New', 'Ready', 'Running', 'Completed', 'Suspended', 'On Hold', 'Canceled'];
// Row = from, column = to; the table documented in the README and in JobState.
const TABLE: Record<number, string> = {
  1: '-xx--xx',
  2: 'x-x--xx',
  3: '---xxx-',
  4: '-------',
  5: '--xx-xx',
  6: '-xxxx-x',
  7: '-------',
};

describe('jobs: api/v3/jobs (real app, real tokens, SQLite)', () => {
  let w: JobsWorld;

  beforeAll(async () => {
    w = await startJobsWorld();
  });

  afterAll(async () => {
    await w?.api.close();
  });

  describe('reads', () => {
    it('GET jobs/key returns one job with snake_case members and <col>_utc datetimes', async () => {
      const res = await get(`${w.v3}/jobs/key?woId=WO-1001&operId=OP20&seqNo=0`, w.operator);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        wo_id: 'WO-1001',
        oper_id: 'OP20',
        seq_no: 0,
        state_cd: 3,
        state_desc: 'Running',
        qty_prod: 350,
        run_ent_id: 5,
        act_finish_time_utc: null,
      });
      expect(res.body.act_start_time_utc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(res.body).not.toHaveProperty('act_start_time_local');
    });

    it('names are case-insensitive', async () => {
      const res = await get(`${w.v3}/JOBS/Key?woId=WO-1001&operId=OP20&seqNo=0`, w.operator);
      expect(res.status).toBe(200);
    });

    it('tz_id (query or header) adds <col>_local values', async () => {
      const q = await get(
        `${w.v3}/jobs/key?woId=WO-1001&operId=OP20&seqNo=0&tz_id=Europe/Berlin`,
        w.operator,
      );
      expect(q.status).toBe(200);
      const utc = new Date(q.body.act_start_time_utc as string);
      expect(q.body.act_start_time_local).toBe(wallClock(utc, 'Europe/Berlin'));
      expect(q.body.act_finish_time_local).toBeNull();
      const h = await get(`${w.v3}/jobs/key?woId=WO-1001&operId=OP20&seqNo=0`, w.operator, {
        tz_id: 'Tokyo Standard Time',
      });
      expect(h.body.act_start_time_local).toBe(wallClock(utc, 'Asia/Tokyo'));
    });

    it('GET jobs/filter filters by stateCd, runEntId and woId, ordered by key', async () => {
      const all = await get(`${w.v3}/jobs/filter?woId=WO-1001`, w.supervisor);
      expect(all.status).toBe(200);
      expect((all.body as Array<{ oper_id: string }>).map((j) => j.oper_id)).toEqual([
        'OP10',
        'OP20',
        'OP30',
        'OP40',
        'OP50',
      ]);
      const suspended = await get(`${w.v3}/jobs/filter?stateCd=5`, w.operator);
      expect(suspended.status).toBe(200);
      expect(suspended.body).toEqual([expect.objectContaining({ oper_id: 'OP50', state_cd: 5 })]);
      const onFive = await get(`${w.v3}/jobs/filter?runEntId=5&woId=WO-1001`, w.operator);
      expect((onFive.body as Array<{ oper_id: string }>).map((j) => j.oper_id)).toEqual([
        'OP10',
        'OP20',
      ]);
    });

    it('max_rows limits the rows (query or header)', async () => {
      const q = await get(`${w.v3}/jobs/filter?woId=WO-1001&max_rows=2`, w.operator);
      expect(q.status).toBe(200);
      expect((q.body as Array<{ oper_id: string }>).map((j) => j.oper_id)).toEqual([
        'OP10',
        'OP20',
      ]);
      const h = await get(`${w.v3}/jobs/filter?woId=WO-1001`, w.operator, { max_rows: '1' });
      expect(h.body).toHaveLength(1);
      const bad = await get(`${w.v3}/jobs/filter?max_rows=0`, w.operator);
      expect(bad.status).toBe(400);
      expect(bad.body.detail).toContain('max_rows');
    });

    it('204 with no body when no job matches', async () => {
      const res = await get(`${w.v3}/jobs/filter?woId=NOPE`, w.operator);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
    });

    it('V1 GET api/jobs: the jobs of a work order, or one job (Work Tasks lookup)', async () => {
      const all = await get(`${w.api.base}/api/jobs?woId=WO-1001`, w.operator);
      expect(all.status).toBe(200);
      expect((all.body as Array<{ oper_id: string }>).map((j) => j.oper_id)).toEqual([
        'OP10',
        'OP20',
        'OP30',
        'OP40',
        'OP50',
      ]);
      const one = await get(`${w.api.base}/api/jobs?woId=WO-1001&operId=OP50&seqNo=0`, w.operator);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ oper_id: 'OP50', state_cd: 5, state_desc: 'Suspended' });
      const none = await get(`${w.api.base}/api/jobs?woId=WO-9999`, w.operator);
      expect(none.status).toBe(204);
      const noSeq = await get(`${w.api.base}/api/jobs?woId=WO-1001&operId=OP20`, w.operator);
      expect(noSeq.status).toBe(404);
      expect(noSeq.body.detail).toBe('The required parameter seqNo is missing.');
      const noWo = await get(`${w.api.base}/api/jobs`, w.operator);
      expect(noWo.status).toBe(404);
      expect(noWo.body.detail).toBe('The required parameter woId is missing.');
    });

    it('404 for a job that does not exist, and for a missing required parameter', async () => {
      const res = await get(`${w.v3}/jobs/key?woId=WO-1001&operId=OP99&seqNo=0`, w.operator);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({
        code: 'ENTITY_NOT_FOUND',
        detail: 'The specified entity does not exist',
      });
      const missing = await get(`${w.v3}/jobs/key?woId=WO-1001&operId=OP20`, w.operator);
      expect(missing.status).toBe(404);
      expect(missing.body.detail).toBe('The required parameter seqNo is missing.');
    });

    it.each([
      ['seqNo=abc', 'seqNo'],
      ['seqNo=1.5', 'seqNo'],
      ['seqNo=-1', 'seqNo'],
      ['stateCd=9', 'stateCd'],
      ['runEntId=0', 'runEntId'],
      [`woId=${encodeURIComponent("WO-1001' OR '1'='1")}`, 'woId'],
      [`woId=${'W'.repeat(41)}`, 'woId'],
      ['bogus=1', 'bogus'],
    ])('400 naming the parameter for %s', async (query, name) => {
      const res = await get(`${w.v3}/jobs/filter?${query}`, w.operator);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.detail).toContain(name);
      expect(res.text).not.toMatch(/SELECT|sqlite/i);
    });
  });

  describe('access through grp_ent_link', () => {
    beforeAll(async () => {
      // Quality Lab (8): operators are linked with accss 0.
      await addJobs(w.ds, 'WO-LAB', [{ operId: 'OP10', stateCd: 2, targetEntId: 8 }]);
    });

    it('an operator cannot see a job on an entity it has no access to; a supervisor can', async () => {
      const denied = await get(`${w.v3}/jobs/key?woId=WO-LAB&operId=OP10&seqNo=0`, w.operator);
      expect(denied.status).toBe(404);
      expect(denied.body).toMatchObject({
        code: 'ENTITY_ACCESS_DENIED',
        detail: 'You do not have the appropriate privileges to access this entity',
      });
      const filtered = await get(`${w.v3}/jobs/filter?woId=WO-LAB`, w.operator);
      expect(filtered.status).toBe(204);
      const ok = await get(`${w.v3}/jobs/key?woId=WO-LAB&operId=OP10&seqNo=0`, w.supervisor);
      expect(ok.status).toBe(200);
    });

    it('an operator cannot start a job on that entity, and nothing changes', async () => {
      const before = await snapshot(w.ds);
      const res = await put(`${w.v3}/Jobs/Start`, w.operator, {
        ent_id: 8,
        run_ent_id: 8,
        wo_id: 'WO-LAB',
        oper_id: 'OP10',
        seq_no: 0,
      });
      expect(res.status).toBe(404);
      expect(res.body.detail).toBe(
        'You do not have the appropriate privileges to access this entity',
      );
      for (const path of ['End', 'Pause']) {
        const r = await put(`${w.v3}/Jobs/${path}`, w.operator, {
          wo_id: 'WO-LAB',
          oper_id: 'OP10',
          seq_no: 0,
        });
        expect(r.status).toBe(404);
        expect(r.body.code).toBe('ENTITY_ACCESS_DENIED');
      }
      expect(await snapshot(w.ds)).toBe(before);
    });

    it('without the run-jobs privilege a state change is 403, and nothing changes', async () => {
      await w.ds.query('UPDATE grp_priv_link SET priv_value = 0 WHERE grp_id = 2 AND priv_id = 3');
      try {
        const before = await snapshot(w.ds);
        const res = await put(`${w.v3}/Jobs/Start`, w.operator, {
          ent_id: 6,
          run_ent_id: 6,
          wo_id: 'WO-1001',
          oper_id: 'OP30',
          seq_no: 0,
        });
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ code: 'PRIVILEGE_MISSING' });
        expect(res.body.detail).toContain('run jobs');
        expect(await snapshot(w.ds)).toBe(before);
      } finally {
        await w.ds.query(
          'UPDATE grp_priv_link SET priv_value = 1 WHERE grp_id = 2 AND priv_id = 3',
        );
      }
    });
  });

  describe('start, pause, end: job, job_exec and job_history stay consistent', () => {
    beforeAll(async () => {
      await addJobs(w.ds, 'WO-LIFE', [
        { operId: 'OP10', stateCd: 2, targetEntId: 7 },
        { operId: 'OP20', stateCd: 1, targetEntId: 7 },
        { operId: 'OP30', stateCd: 2, targetEntId: 7 },
      ]);
    });

    it('Start: Ready → Running on the entity’s idle job position, stamped with the user', async () => {
      const before = Date.now();
      const res = await put(`${w.v3}/Jobs/Start`, w.operator, {
        ent_id: 7,
        run_ent_id: 7,
        wo_id: 'WO-LIFE',
        oper_id: 'OP10',
        seq_no: 0,
        comment: 'shift start',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        wo_id: 'WO-LIFE',
        state_cd: 3,
        state_desc: 'Running',
        state_cd_before: 2,
        run_ent_id: 7,
        ent_id: 7,
        job_pos: 0,
        last_edit_by: OPERATOR,
      });
      const job = await readJob(w.ds, 'WO-LIFE', 'OP10');
      expect(job).toMatchObject({ state_cd: 3, run_ent_id: 7, last_edit_by: OPERATOR });
      expect(new Date(`${job?.last_edit_at}Z`).getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(job?.act_start_time_utc).not.toBeNull();
      expect(await readExec(w.ds, 7)).toEqual([
        expect.objectContaining({
          job_pos: 0,
          cur_wo_id: 'WO-LIFE',
          cur_oper_id: 'OP10',
          cur_seq_no: 0,
          cur_user_id: OPERATOR,
          last_edit_by: OPERATOR,
        }),
      ]);
      const history = await readHistory(w.ds, 'WO-LIFE', 'OP10');
      expect(history).toEqual([
        expect.objectContaining({
          job_history_id: res.body.job_history_id,
          ent_id: 7,
          state_cd_before: 2,
          state_cd_after: 3,
          event: 'Start',
          comment: 'shift start',
          user_id: OPERATOR,
        }),
      ]);
    });

    it('a second job cannot start on the same busy entity/job_pos (409, nothing changes)', async () => {
      const before = await snapshot(w.ds);
      const res = await put(`${w.v3}/Jobs/Start`, w.operator, {
        ent_id: 7,
        run_ent_id: 7,
        wo_id: 'WO-LIFE',
        oper_id: 'OP20',
        seq_no: 0,
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'BUSINESS_RULE',
        detail:
          'Entity Filler 2 is already running job WO-LIFE-OP10-0 at job position 0; end or pause it first.',
      });
      expect(await snapshot(w.ds)).toBe(before);
    });

    it('Start on a job position the entity does not have is 409 (nothing changes)', async () => {
      const before = await snapshot(w.ds);
      const res = await put(`${w.v3}/Jobs/Start`, w.operator, {
        ent_id: 7,
        run_ent_id: 7,
        job_pos: 5,
        wo_id: 'WO-LIFE',
        oper_id: 'OP20',
        seq_no: 0,
      });
      expect(res.status).toBe(409);
      expect(res.body.detail).toBe('Entity Filler 2 has no job position 5.');
      expect(await snapshot(w.ds)).toBe(before);
    });

    it('Start of a running job is 409 with the MES message', async () => {
      const res = await put(`${w.v3}/Jobs/Start`, w.operator, {
        ent_id: 7,
        run_ent_id: 7,
        wo_id: 'WO-LIFE',
        oper_id: 'OP10',
        seq_no: 0,
      });
      expect(res.status).toBe(409);
      expect(res.body.detail).toBe('Job WO-LIFE-OP10-0 is Running and cannot be started.');
    });

    it('Start refuses an entity that cannot run jobs, an unknown entity, and run_ent_id ≠ ent_id', async () => {
      const before = await snapshot(w.ds);
      const body = { wo_id: 'WO-LIFE', oper_id: 'OP20', seq_no: 0 };
      const line = await put(`${w.v3}/Jobs/Start`, w.operator, {
        ...body,
        ent_id: 3,
        run_ent_id: 3,
      });
      expect(line.status).toBe(409);
      expect(line.body.detail).toBe('Entity Line 1 cannot run jobs.');
      const unknown = await put(`${w.v3}/Jobs/Start`, w.supervisor, {
        ...body,
        ent_id: 999,
        run_ent_id: 999,
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.detail).toBe('The specified entity does not exist');
      const differ = await put(`${w.v3}/Jobs/Start`, w.operator, {
        ...body,
        ent_id: 7,
        run_ent_id: 6,
      });
      expect(differ.status).toBe(400);
      expect(differ.body.detail).toContain('run_ent_id');
      const noJob = await put(`${w.v3}/Jobs/Start`, w.operator, {
        ...body,
        oper_id: 'OP99',
        ent_id: 6,
        run_ent_id: 6,
      });
      expect(noJob.status).toBe(404);
      expect(noJob.body.detail).toBe('The specified entity does not exist');
      expect(await snapshot(w.ds)).toBe(before);
    });

    it('Pause: Running → On Hold frees the job position; Pause again is 409', async () => {
      const res = await put(`${w.v3}/Jobs/Pause`, w.operator, {
        wo_id: 'WO-LIFE',
        oper_id: 'OP10',
        seq_no: 0,
        state_cd: 6,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        state_cd: 6,
        state_cd_before: 3,
        ent_id: null,
        job_pos: null,
      });
      expect(await readExec(w.ds, 7)).toEqual([
        expect.objectContaining({
          cur_wo_id: null,
          cur_oper_id: null,
          cur_seq_no: null,
          cur_user_id: null,
        }),
      ]);
      const again = await put(`${w.v3}/Jobs/Pause`, w.operator, {
        wo_id: 'WO-LIFE',
        oper_id: 'OP10',
        seq_no: 0,
      });
      expect(again.status).toBe(409);
      expect(again.body.detail).toBe('Job WO-LIFE-OP10-0 is On Hold and cannot be paused.');
    });

    it('Pause defaults to Suspended; Start resumes it and keeps the first start time', async () => {
      const first = await readJob(w.ds, 'WO-LIFE', 'OP10');
      const resumed = await put(`${w.v3}/Jobs/Start`, w.operator, {
        ent_id: 7,
        run_ent_id: 7,
        wo_id: 'WO-LIFE',
        oper_id: 'OP10',
        seq_no: 0,
      });
      expect(resumed.status).toBe(200);
      expect(resumed.body.state_cd_before).toBe(6);
      const paused = await put(`${w.v3}/Jobs/Pause`, w.operator, {
        wo_id: 'WO-LIFE',
        oper_id: 'OP10',
        seq_no: 0,
      });
      expect(paused.status).toBe(200);
      expect(paused.body.state_cd).toBe(5);
      const again = await put(`${w.v3}/Jobs/Start`, w.operator, {
        ent_id: 7,
        run_ent_id: 7,
        wo_id: 'WO-LIFE',
        oper_id: 'OP10',
        seq_no: 0,
      });
      expect(again.status).toBe(200);
      expect((await readJob(w.ds, 'WO-LIFE', 'OP10'))?.act_start_time_utc).toBe(
        first?.act_start_time_utc,
      );
    });

    it('End: Running → Completed, frees the position, writes the finish time; End again is 409', async () => {
      const res = await put(`${w.v3}/Jobs/End`, w.operator, {
        wo_id: 'WO-LIFE',
        oper_id: 'OP10',
        seq_no: 0,
        ent_id: 7,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        state_cd: 4,
        state_desc: 'Completed',
        state_cd_before: 3,
        job_pos: null,
      });
      expect(res.body.act_finish_time_utc).toMatch(/Z$/);
      expect(await readExec(w.ds, 7)).toEqual([expect.objectContaining({ cur_wo_id: null })]);
      const history = await readHistory(w.ds, 'WO-LIFE', 'OP10');
      expect(history.map((h) => `${h.event}:${h.state_cd_before}>${h.state_cd_after}`)).toEqual([
        'Start:2>3',
        'Pause:3>6',
        'Start:6>3',
        'Pause:3>5',
        'Start:5>3',
        'End:3>4',
      ]);
      expect(history.every((h) => h.user_id === OPERATOR)).toBe(true);
      const again = await put(`${w.v3}/Jobs/End`, w.operator, {
        wo_id: 'WO-LIFE',
        oper_id: 'OP10',
        seq_no: 0,
      });
      expect(again.status).toBe(409);
      expect(again.body.detail).toBe('Job WO-LIFE-OP10-0 is Completed and cannot be ended.');
      const start = await put(`${w.v3}/Jobs/Start`, w.operator, {
        ent_id: 7,
        run_ent_id: 7,
        wo_id: 'WO-LIFE',
        oper_id: 'OP10',
        seq_no: 0,
      });
      expect(start.status).toBe(409);
      expect(start.body.detail).toBe('Job WO-LIFE-OP10-0 is Completed and cannot be started.');
    });

    it('End of a job that is not running on the given entity is 409', async () => {
      await put(`${w.v3}/Jobs/Start`, w.operator, {
        ent_id: 7,
        run_ent_id: 7,
        wo_id: 'WO-LIFE',
        oper_id: 'OP30',
        seq_no: 0,
      });
      const before = await snapshot(w.ds);
      const res = await put(`${w.v3}/Jobs/End`, w.operator, {
        wo_id: 'WO-LIFE',
        oper_id: 'OP30',
        seq_no: 0,
        ent_id: 6,
      });
      expect(res.status).toBe(409);
      expect(res.body.detail).toBe('Job WO-LIFE-OP30-0 belongs to entity 7, not to entity 6.');
      expect(await snapshot(w.ds)).toBe(before);
      const end = await put(`${w.v3}/Jobs/End`, w.operator, {
        wo_id: 'WO-LIFE',
        oper_id: 'OP30',
        seq_no: 0,
      });
      expect(end.status).toBe(200);
    });

    it('a service token acts as the background user (last_edit_by, cur_user_id, job_history.user_id)', async () => {
      const res = await put(`${w.v3}/Jobs/Start`, w.service, {
        ent_id: 7,
        run_ent_id: 7,
        wo_id: 'WO-LIFE',
        oper_id: 'OP20',
        seq_no: 0,
      });
      expect(res.status).toBe(200);
      expect(res.body.last_edit_by).toBe(BACKGROUND_USER);
      expect(await readJob(w.ds, 'WO-LIFE', 'OP20')).toMatchObject({
        state_cd: 3,
        last_edit_by: BACKGROUND_USER,
      });
      expect(await readExec(w.ds, 7)).toEqual([
        expect.objectContaining({
          cur_oper_id: 'OP20',
          cur_user_id: BACKGROUND_USER,
          last_edit_by: BACKGROUND_USER,
        }),
      ]);
      const end = await put(`${w.v3}/Jobs/End`, w.service, {
        wo_id: 'WO-LIFE',
        oper_id: 'OP20',
        seq_no: 0,
      });
      expect(end.status).toBe(200);
      const history = await readHistory(w.ds, 'WO-LIFE', 'OP20');
      expect(history.map((h) => [h.event, h.user_id])).toEqual([
        ['Start', BACKGROUND_USER],
        ['End', BACKGROUND_USER],
      ]);
      expect(await readExec(w.ds, 7)).toEqual([
        expect.objectContaining({ cur_wo_id: null, last_edit_by: BACKGROUND_USER }),
      ]);
    });
  });

  describe('ChangeJobStates follows the transition table (every from → to pair)', () => {
    const key = { wo_id: 'WO-SM', oper_id: 'OP10', seq_no: 0 };

    beforeAll(async () => {
      await addJobs(w.ds, 'WO-SM', [{ operId: 'OP10', stateCd: 1, targetEntId: 7 }]);
    });

    /** Puts the job into `from` (and job_exec 7/0 in step with it), straight in the database. */
    async function setState(from: number): Promise<void> {
      const ran = [3, 4, 5, 6].includes(from);
      await w.ds.query(
        'UPDATE job SET state_cd = ?, run_ent_id = ? WHERE wo_id = ? AND oper_id = ?',
        [from, ran ? 7 : null, key.wo_id, key.oper_id],
      );
      await w.ds.query(
        'UPDATE job_exec SET cur_wo_id = ?, cur_oper_id = ?, cur_seq_no = ? WHERE ent_id = 7 AND job_pos = 0',
        from === 3 ? [key.wo_id, key.oper_id, 0] : [null, null, null],
      );
    }

    const pairs = STATES.flatMap((from) =>
      STATES.map((to) => ({
        from,
        to,
        allowed: TABLE[from][to - 1] === 'x',
        fromName: NAMES[from - 1],
        toName: NAMES[to - 1],
      })),
    );

    it.each(pairs)('$fromName → $toName: allowed $allowed', async ({ from, to, allowed }) => {
      await setState(from);
      const before = await snapshot(w.ds);
      const res = await put(`${w.v3}/Jobs/ChangeJobStates`, w.supervisor, {
        ...key,
        state_cd: to,
        ...(to === 3 ? { ent_id: 7 } : {}),
      });
      const job = await readJob(w.ds, key.wo_id, key.oper_id);
      const exec = (await readExec(w.ds, 7))[0];
      if (allowed) {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ state_cd: to, state_cd_before: from });
        expect(job?.state_cd).toBe(to);
        const last = (await readHistory(w.ds, key.wo_id, key.oper_id)).pop();
        expect(last).toMatchObject({
          event: 'ChangeState',
          state_cd_before: from,
          state_cd_after: to,
        });
      } else {
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('BUSINESS_RULE');
        expect(res.body.detail).toBe(
          from === to
            ? `Job WO-SM-OP10-0 is already ${NAMES[from - 1]}.`
            : `Job WO-SM-OP10-0 cannot change from ${NAMES[from - 1]} to ${NAMES[to - 1]}.`,
        );
        expect(await snapshot(w.ds)).toBe(before);
      }
      // job_exec holds the job exactly when it is Running.
      expect(exec.cur_wo_id === key.wo_id).toBe(job?.state_cd === 3);
    });

    it('setting Running needs ent_id (400) and respects a busy entity (409)', async () => {
      await setState(2);
      const none = await put(`${w.v3}/Jobs/ChangeJobStates`, w.supervisor, { ...key, state_cd: 3 });
      expect(none.status).toBe(400);
      expect(none.body.detail).toContain('ent_id');
      await w.ds.query(
        "UPDATE job_exec SET cur_wo_id = 'WO-1001', cur_oper_id = 'OP40', cur_seq_no = 0 WHERE ent_id = 7",
      );
      const busy = await put(`${w.v3}/Jobs/ChangeJobStates`, w.supervisor, {
        ...key,
        state_cd: 3,
        ent_id: 7,
      });
      expect(busy.status).toBe(409);
      expect(busy.body.detail).toContain('Entity Filler 2 is already running job WO-1001-OP40-0');
      await setState(2);
    });
  });

  describe('hostile input is refused with 400 before the database, and changes nothing', () => {
    const good = { ent_id: 6, run_ent_id: 6, wo_id: 'WO-1001', oper_id: 'OP30', seq_no: 0 };

    it.each([
      ['SQL in wo_id', { ...good, wo_id: "WO-1001'; DROP TABLE job;--" }, 'wo_id'],
      ['SQL in oper_id', { ...good, oper_id: "OP30' OR '1'='1" }, 'oper_id'],
      ['huge wo_id', { ...good, wo_id: 'W'.repeat(100_000) }, 'wo_id'],
      ['huge comment', { ...good, comment: 'c'.repeat(1001) }, 'comment'],
      ['seq_no as a word', { ...good, seq_no: 'zero' }, 'seq_no'],
      ['ent_id as a word', { ...good, ent_id: 'six' }, 'ent_id'],
      ['ent_id fraction', { ...good, ent_id: 6.5 }, 'ent_id'],
      ['negative seq_no', { ...good, seq_no: -1 }, 'seq_no'],
      ['negative job_pos', { ...good, job_pos: -1 }, 'job_pos'],
      ['ent_id beyond int', { ...good, ent_id: 2 ** 31 }, 'ent_id'],
      ['wo_id as object', { ...good, wo_id: { $ne: null } }, 'wo_id'],
      ['wo_id null', { ...good, wo_id: null }, 'wo_id'],
      [
        'missing run_ent_id',
        { ent_id: 6, wo_id: 'WO-1001', oper_id: 'OP30', seq_no: 0 },
        'run_ent_id',
      ],
      ['unknown field', { ...good, state_cd: 3 }, 'state_cd'],
    ])('Start with %s', async (_, body, name) => {
      const before = await snapshot(w.ds);
      const res = await put(`${w.v3}/Jobs/Start`, w.operator, body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.detail).toContain(name);
      expect(res.text).not.toMatch(/SQLITE|SELECT|UPDATE|at \w+ \(/);
      expect(await snapshot(w.ds)).toBe(before);
    });

    it.each([
      ['an array', '[1,2]'],
      ['a string', '"start"'],
      ['malformed JSON', '{"wo_id": "WO-1001",'],
      ['a __proto__ member', '{"__proto__": {"x": 1}, "ent_id": 6}'],
    ])('Start with %s as the body', async (_, raw) => {
      const before = await snapshot(w.ds);
      const res = await put(`${w.v3}/Jobs/Start`, w.operator, raw);
      expect(res.status).toBe(400);
      expect(['VALIDATION_FAILED', 'MALFORMED_BODY']).toContain(res.body.code);
      expect(await snapshot(w.ds)).toBe(before);
    });

    it.each([
      [
        'Pause to Completed',
        '/Jobs/Pause',
        { wo_id: 'WO-1001', oper_id: 'OP20', seq_no: 0, state_cd: 4 },
        'state_cd',
      ],
      [
        'Pause to a word',
        '/Jobs/Pause',
        { wo_id: 'WO-1001', oper_id: 'OP20', seq_no: 0, state_cd: 'five' },
        'state_cd',
      ],
      [
        'ChangeJobStates to 8',
        '/Jobs/ChangeJobStates',
        { wo_id: 'WO-1001', oper_id: 'OP20', seq_no: 0, state_cd: 8 },
        'state_cd',
      ],
      [
        'ChangeJobStates to 0',
        '/Jobs/ChangeJobStates',
        { wo_id: 'WO-1001', oper_id: 'OP20', seq_no: 0, state_cd: 0 },
        'state_cd',
      ],
      [
        'End with SQL',
        '/Jobs/End',
        { wo_id: '1; DELETE FROM job', oper_id: 'OP20', seq_no: 0 },
        'wo_id',
      ],
    ])('%s', async (_, path, body, name) => {
      const before = await snapshot(w.ds);
      const res = await put(`${w.v3}${path}`, w.supervisor, body);
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain(name);
      expect(await snapshot(w.ds)).toBe(before);
    });
  });

  describe('HTTP', () => {
    it.each([
      ['POST', 'Jobs/Start', 'PUT'],
      ['GET', 'jobs/end', 'PUT'],
      ['DELETE', 'jobs/key', 'GET, HEAD'],
    ])('%s %s is 405 with Allow: %s', async (method, path, allow) => {
      const res = await call(`${w.v3}/${path}`, { method, token: w.operator });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
    });

    it('needs a token', async () => {
      const res = await call(`${w.v3}/jobs/filter`);
      expect(res.status).toBe(401);
    });
  });

  describe('concurrency', () => {
    beforeAll(async () => {
      await addJobs(w.ds, 'WO-RACE', [
        { operId: 'OP10', stateCd: 2, targetEntId: 6 },
        { operId: 'OP20', stateCd: 2, targetEntId: 6 },
      ]);
    });

    it('of 20 simultaneous Starts of one job exactly one wins', async () => {
      const body = { ent_id: 6, run_ent_id: 6, wo_id: 'WO-RACE', oper_id: 'OP10', seq_no: 0 };
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          put(`${w.v3}/Jobs/Start`, i % 2 ? w.operator : w.service, body),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      const history = await readHistory(w.ds, 'WO-RACE', 'OP10');
      expect(history.filter((h) => h.event === 'Start')).toHaveLength(1);
      const execs = await readExec(w.ds, 6);
      expect(execs.filter((e) => e.cur_wo_id === 'WO-RACE')).toHaveLength(1);
    });

    it('two different jobs racing for one entity position: one runs, the other is refused', async () => {
      await put(`${w.v3}/Jobs/End`, w.supervisor, { wo_id: 'WO-RACE', oper_id: 'OP10', seq_no: 0 });
      await w.ds.query("UPDATE job SET state_cd = 2 WHERE wo_id = 'WO-RACE'");
      const start = (operId: string) =>
        put(`${w.v3}/Jobs/Start`, w.operator, {
          ent_id: 6,
          run_ent_id: 6,
          wo_id: 'WO-RACE',
          oper_id: operId,
          seq_no: 0,
        });
      const [a, b] = await Promise.all([start('OP10'), start('OP20')]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const running = await w.ds.query(
        "SELECT oper_id FROM job WHERE wo_id = 'WO-RACE' AND state_cd = 3",
      );
      expect(running).toHaveLength(1);
      const execs = await readExec(w.ds, 6);
      expect(execs[0].cur_oper_id).toBe((running as Array<{ oper_id: string }>)[0].oper_id);
    });
  });
});
