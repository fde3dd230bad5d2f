import { Test, TestingModule } from '@nestjs/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource, Repository } from 'typeorm';
import { MesDatabaseModule } from '@mes-web-api/mes-database';
import { Ent } from './entities/ent.entity';
import { Job } from './entities/job.entity';
import { JobExec } from './entities/job-exec.entity';
import { JobHistory } from './entities/job-history.entity';
import { ShiftSched } from './entities/shift-sched.entity';
import { MesPlantModule } from './mes-plant.module';

// A bare Nest app with just the database and plant modules, on a fresh seeded SQLite file.
let app: TestingModule;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mes-plant-'));

beforeAll(async () => {
  app = await Test.createTestingModule({
    imports: [
      MesDatabaseModule.forRoot({
        type: 'sqlite',
        path: path.join(dir, 'mes.sqlite'),
        isGlobal: true,
      }),
      MesPlantModule,
    ],
  }).compile();
});

afterAll(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The entities' metadata (migrations, checks): read through the DataSource MesDatabaseModule holds. */
const repo = <T extends object>(entity: new () => T): Repository<T> =>
  app.get(DataSource).getRepository(entity);

describe('MesPlantModule with the demo plant', () => {
  it('maps the plant tables with the demo plant', async () => {
    const ents = await repo(Ent).find({ order: { entId: 'ASC' } });
    expect(ents.map((e) => [e.entId, e.entName, e.parentEntId])).toEqual([
      [1, 'Demo Site', null],
      [2, 'Packaging Area', 1],
      [3, 'Line 1', 2],
      [4, 'Line 2', 2],
      [5, 'Filler 1', 3],
      [6, 'Labeler 1', 3],
      [7, 'Filler 2', 4],
      [8, 'Quality Lab', 1],
    ]);
    expect(ents.filter((e) => e.canRunJobs === 1).map((e) => e.entId)).toEqual([5, 6, 7, 8]);
  });

  it('has WO-1001 jobs in several states, with datetimes hydrated as UTC Dates', async () => {
    const jobs = await repo(Job).find({ order: { operId: 'ASC' } });
    expect(jobs.map((j) => [j.operId, j.stateCd])).toEqual([
      ['OP10', 4],
      ['OP20', 3],
      ['OP30', 2],
      ['OP40', 1],
      ['OP50', 5],
    ]);
    const done = jobs[0];
    expect(done.actStartTimeUtc).toBeInstanceOf(Date);
    expect(done.actFinishTimeUtc!.getTime() - done.actStartTimeUtc!.getTime()).toBe(3 * 3600_000);
    expect(Math.abs(done.lastEditAt!.getTime() - Date.now())).toBeLessThan(10 * 60_000);
    expect(done.lastEditBy).toBe('system');
  });

  it('keeps job_exec consistent: every running job is current on its run entity and vice versa', async () => {
    const jobs = await repo(Job).find();
    const execs = await repo(JobExec).find();
    const running = jobs.filter((j) => j.stateCd === 3);
    const current = execs.filter((e) => e.curWoId !== null);
    expect(current.map((e) => [e.entId, e.jobPos, e.curWoId, e.curOperId, e.curSeqNo])).toEqual(
      running.map((j) => [j.runEntId, 0, j.woId, j.operId, j.seqNo]),
    );
  });

  it('records job history and shift schedules', async () => {
    await expect(repo(JobHistory).count()).resolves.toBe(5);
    const sched = await repo(ShiftSched).find({ where: { entId: 3 }, order: { shiftId: 'ASC' } });
    expect(sched.map((s) => [s.shiftName, s.startOffsetMin, s.durationMin, s.daysMask])).toEqual([
      ['Day', 360, 480, 31],
      ['Late', 840, 480, 31],
    ]);
  });

  it('stamps writes and generates ids', async () => {
    const saved = await repo(Ent).save(
      repo(Ent).create({
        entName: 'Filler 3',
        parentEntId: 4,
        canRunJobs: 1,
        lastEditBy: 'mes\\supervisor',
        lastEditAt: new Date(),
      }),
    );
    expect(saved.entId).toBe(9);
    const again = await repo(Ent).findOneByOrFail({ entId: 9 });
    expect(again).toMatchObject({
      entName: 'Filler 3',
      canSchedJobs: 0,
      lastEditBy: 'mes\\supervisor',
    });
  });
});
