// Shared set-up of the jobs and production e2e suites: the real app, real tokens, direct reads.
import { DataSource } from 'typeorm';
import { call, e2eIssuer, RunningApi, startApi } from '../support/api';
import { DEV_AUTHORITY, getClientToken, getUserToken } from '../support/dev-authority';

export const BACKGROUND_USER = 'Default Background User';
export const OPERATOR = 'mes\\operator';
export const SUPERVISOR = 'mes\\supervisor';

export interface JobsWorld {
  api: RunningApi;
  ds: DataSource;
  operator: string;
  supervisor: string;
  service: string;
  v3: string;
}

export async function startJobsWorld(): Promise<JobsWorld> {
  const api = await startApi();
  const issuer = e2eIssuer();
  const [operator, supervisor, service] = await Promise.all([
    getUserToken({ issuer, username: OPERATOR }),
    getUserToken({ issuer, username: SUPERVISOR }),
    getClientToken({
      issuer,
      clientId: DEV_AUTHORITY.serviceClientId,
      clientSecret: DEV_AUTHORITY.serviceClientSecret,
    }),
  ]);
  return {
    api,
    ds: api.app.get(DataSource),
    operator,
    supervisor,
    service,
    v3: `${api.base}/api/v3`,
  };
}

export interface JobRow {
  wo_id: string;
  oper_id: string;
  seq_no: number;
  state_cd: number;
  qty_prod: number;
  run_ent_id: number | null;
  target_ent_id: number | null;
  act_start_time_utc: string | null;
  act_finish_time_utc: string | null;
  last_edit_by: string | null;
  last_edit_at: string | null;
}

export interface JobExecRow {
  ent_id: number;
  job_pos: number;
  cur_wo_id: string | null;
  cur_oper_id: string | null;
  cur_seq_no: number | null;
  cur_user_id: string | null;
  last_edit_by: string | null;
}

export interface JobHistoryRow {
  job_history_id: number;
  wo_id: string;
  oper_id: string;
  seq_no: number;
  ent_id: number | null;
  state_cd_before: number | null;
  state_cd_after: number | null;
  event: string;
  qty: number | null;
  comment: string | null;
  user_id: string | null;
}

export async function readJob(
  ds: DataSource,
  woId: string,
  operId: string,
  seqNo = 0,
): Promise<JobRow | undefined> {
  const rows: JobRow[] = await ds.query(
    'SELECT * FROM job WHERE wo_id = ? AND oper_id = ? AND seq_no = ?',
    [woId, operId, seqNo],
  );
  return rows[0];
}

export function readExec(ds: DataSource, entId: number): Promise<JobExecRow[]> {
  return ds.query('SELECT * FROM job_exec WHERE ent_id = ? ORDER BY job_pos', [entId]);
}

export function readHistory(
  ds: DataSource,
  woId: string,
  operId: string,
  seqNo = 0,
): Promise<JobHistoryRow[]> {
  return ds.query(
    'SELECT * FROM job_history WHERE wo_id = ? AND oper_id = ? AND seq_no = ? ORDER BY job_history_id',
    [woId, operId, seqNo],
  );
}

/** Everything a job write can touch, to prove a refused call changed nothing. */
export async function snapshot(ds: DataSource): Promise<string> {
  const [jobs, execs, history] = await Promise.all([
    ds.query('SELECT * FROM job ORDER BY wo_id, oper_id, seq_no'),
    ds.query('SELECT * FROM job_exec ORDER BY ent_id, job_pos'),
    ds.query('SELECT * FROM job_history ORDER BY job_history_id'),
  ]);
  return JSON.stringify({ jobs, execs, history });
}

/** Adds a work order and jobs (test data, written straight to the database). */
export async function addJobs(
  ds: DataSource,
  woId: string,
  jobs: Array<{
    operId: string;
    stateCd: number;
    targetEntId?: number | null;
    runEntId?: number | null;
    qtyProd?: number;
  }>,
): Promise<void> {
  await ds.query(
    'INSERT INTO wo (wo_id, wo_desc, item_id, req_qty, priority) VALUES (?, ?, ?, ?, ?)',
    [woId, 'e2e order', 'WIDGET-200', 100, 0],
  );
  for (const j of jobs) {
    await ds.query(
      'INSERT INTO job (wo_id, oper_id, seq_no, item_id, state_cd, req_qty, qty_prod, target_ent_id, run_ent_id) VALUES (?, ?, 0, ?, ?, 100, ?, ?, ?)',
      [
        woId,
        j.operId,
        'WIDGET-200',
        j.stateCd,
        j.qtyProd ?? 0,
        j.targetEntId ?? null,
        j.runEntId ?? null,
      ],
    );
  }
}

export const put = (url: string, token: string, body: unknown, headers?: Record<string, string>) =>
  call(url, { method: 'PUT', token, body, headers });
export const post = (url: string, token: string, body: unknown, headers?: Record<string, string>) =>
  call(url, { method: 'POST', token, body, headers });
export const get = (url: string, token: string, headers?: Record<string, string>) =>
  call(url, { token, headers });
