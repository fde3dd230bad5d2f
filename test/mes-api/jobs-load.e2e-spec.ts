import { addJobs, JobsWorld, post, put, readExec, startJobsWorld } from './jobs.fixtures';

/**
 * 200 concurrent clients run full job cycles (Start → 2 production posts → End) on one entity with
 * 200 job positions, while 200 more Starts race for jobs already taken: no 5xx, no lost or
 * duplicated write, job/job_exec/job_history consistent at the end.
 */
describe('jobs under load (200 connections, SQLite WAL)', () => {
  let w: JobsWorld;
  const CLIENTS = 200;
  const CYCLES = 3;

  beforeAll(async () => {
    w = await startJobsWorld();
    // Test data: Filler 2 (7) gets job positions 1..199 besides the seeded 0.
    for (let pos = 1; pos < CLIENTS; pos++) {
      await w.ds.query('INSERT INTO job_exec (ent_id, job_pos) VALUES (7, ?)', [pos]);
    }
    const jobs = Array.from({ length: CLIENTS * CYCLES }, (_, i) => ({
      operId: `OP${String(i).padStart(4, '0')}`,
      stateCd: 2,
      targetEntId: 7,
    }));
    await addJobs(w.ds, 'WO-LOAD', jobs);
  });

  afterAll(async () => {
    await w?.api.close();
  });

  it('runs every cycle once, with no 5xx and no lost increment', async () => {
    const statuses: number[] = [];
    const duplicateStarts: number[] = [];
    const client = async (c: number): Promise<void> => {
      const token = c % 2 ? w.operator : w.service;
      for (let k = 0; k < CYCLES; k++) {
        const key = {
          wo_id: 'WO-LOAD',
          oper_id: `OP${String(c * CYCLES + k).padStart(4, '0')}`,
          seq_no: 0,
        };
        const [start, dup] = await Promise.all([
          put(`${w.v3}/Jobs/Start`, token, { ...key, ent_id: 7, run_ent_id: 7 }),
          // A rival Start of the same job from another client.
          put(`${w.v3}/Jobs/Start`, w.supervisor, { ...key, ent_id: 7, run_ent_id: 7 }),
        ]);
        statuses.push(start.status === 200 || dup.status === 200 ? 200 : start.status);
        duplicateStarts.push([start.status, dup.status].filter((s) => s === 200).length);
        for (const qty of [1, 2]) {
          statuses.push(
            (await post(`${w.v3}/Production/ByJob`, token, { ...key, qty_prod: qty })).status,
          );
        }
        statuses.push((await put(`${w.v3}/Jobs/End`, token, key)).status);
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));

    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(duplicateStarts.every((n) => n === 1)).toBe(true);
    const jobs: Array<{ state_cd: number; qty_prod: number }> = await w.ds.query(
      "SELECT state_cd, qty_prod FROM job WHERE wo_id = 'WO-LOAD'",
    );
    expect(jobs).toHaveLength(CLIENTS * CYCLES);
    expect(jobs.every((j) => j.state_cd === 4 && j.qty_prod === 3)).toBe(true);
    const events: Array<{ event: string; n: number }> = await w.ds.query(
      "SELECT event, COUNT(*) AS n FROM job_history WHERE wo_id = 'WO-LOAD' GROUP BY event ORDER BY event",
    );
    expect(events).toEqual([
      { event: 'End', n: CLIENTS * CYCLES },
      { event: 'Production', n: 2 * CLIENTS * CYCLES },
      { event: 'Start', n: CLIENTS * CYCLES },
    ]);
    expect((await readExec(w.ds, 7)).filter((e) => e.cur_wo_id !== null)).toEqual([]);
  }, 120_000);
});
