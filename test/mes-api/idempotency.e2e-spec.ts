import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MesIdempotency } from '@mes-web-api/mes-transactions';
import { call, RunningApi, startApi } from '../support/api';
import { serviceToken, userToken } from '../support/tokens';

/*
 * Idempotency-Key over HTTP with real tokens: a keyed write runs once, whatever the retries,
 * concurrency, form (route or MiddlewareAccess), restart or transaction outcome.
 */

describe('Idempotency-Key', () => {
  let dir: string;
  let api: RunningApi;
  let supervisor: string;
  let operator: string;
  let service: string;
  const job = { wo_id: 'WO-1001', oper_id: 'OP20', seq_no: 0 }; // Running on entity 5

  const qtyProd = (): number => {
    const db = new Database(api.dbPath, { readonly: true });
    try {
      return (
        db
          .prepare('SELECT qty_prod FROM job WHERE wo_id = ? AND oper_id = ? AND seq_no = ?')
          .get(job.wo_id, job.oper_id, job.seq_no) as { qty_prod: number }
      ).qty_prod;
    } finally {
      db.close();
    }
  };
  const post = (key: string | undefined, qty: number, token = supervisor, extra = {}) =>
    call(`${api.base}/api/v3/production/byJob`, {
      method: 'POST',
      token,
      headers: { ...(key === undefined ? {} : { 'Idempotency-Key': key }), ...extra },
      body: { ...job, qty_prod: qty },
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mes-idem-'));
    api = await startApi({ dbPath: join(dir, 'mes.sqlite') });
    supervisor = await userToken('mes\\supervisor');
    operator = await userToken('mes\\operator');
    service = await serviceToken();
  });

  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a production post retried 5 times with one key adds its quantity once; the repeats replay the answer', async () => {
    const before = qtyProd();
    const first = await post('retry-1', 7);
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    for (let i = 0; i < 5; i++) {
      const again = await post('retry-1', 7);
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.text).toBe(first.text);
    }
    expect(qtyProd()).toBe(before + 7);
  });

  it('20 concurrent duplicates: exactly one write; the others replay it or are told it is still running', async () => {
    const before = qtyProd();
    const answers = await Promise.all(Array.from({ length: 20 }, () => post('burst-1', 3)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const ran = answers.filter((a) => a.status === 200 && !a.headers.get('idempotent-replayed'));
    expect(ran).toHaveLength(1);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
    }
    expect(qtyProd()).toBe(before + 3);
  });

  it('the same key for another body is a 422 and writes nothing; another caller has keys of its own', async () => {
    expect((await post('mine-1', 2)).status).toBe(200);
    const before = qtyProd();
    const other = await post('mine-1', 5);
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(qtyProd()).toBe(before);
    // The same key from another MES user (and from a service client) is their own request.
    expect((await post('mine-1', 2, operator)).headers.get('idempotent-replayed')).toBeNull();
    expect((await post('mine-1', 2, service)).headers.get('idempotent-replayed')).toBeNull();
    expect(qtyProd()).toBe(before + 4);
  });

  it('the route and MiddlewareAccess forms of one request are the same request', async () => {
    const before = qtyProd();
    expect((await post('forms-1', 4)).status).toBe(200);
    const viaMa = await call(`${api.base}/api/v3/MiddlewareAccess/Production.AddByJob`, {
      method: 'POST',
      token: supervisor,
      headers: { 'Idempotency-Key': 'forms-1' },
      body: { ...job, qty_prod: 4 },
    });
    expect(viaMa.status).toBe(200);
    expect(viaMa.headers.get('idempotent-replayed')).toBe('true');
    expect(qtyProd()).toBe(before + 4);
  });

  it('a MiddlewareAccess batch and a DirectAccess POST run once per key', async () => {
    const batch = {
      cmds: [
        { obj: 'ent', cmd: 'Add', parms: { ent_name: 'Idem Batch A', parent_ent_id: 3 } },
        { obj: 'ent', cmd: 'Add', parms: { ent_name: 'Idem Batch B', parent_ent_id: 3 } },
      ],
    };
    const batchRows = (): number => {
      const db = new Database(api.dbPath, { readonly: true });
      try {
        return (
          db.prepare("SELECT count(*) AS n FROM ent WHERE ent_name LIKE 'Idem Batch %'").get() as {
            n: number;
          }
        ).n;
      } finally {
        db.close();
      }
    };
    const send = () =>
      call(`${api.base}/api/v3/MiddlewareAccess`, {
        method: 'POST',
        token: supervisor,
        headers: { 'Idempotency-Key': 'batch-1' },
        body: batch,
      });
    const first = await send();
    expect(first.status).toBe(200);
    const again = await send();
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
    expect(batchRows()).toBe(2);

    const priority = () =>
      call(`${api.base}/api/v3/DirectAccess?spName=sp_U_job_priority`, {
        method: 'POST',
        token: supervisor,
        headers: { 'Idempotency-Key': 'da-1' },
        body: { wo_id: 'WO-1001', oper_id: 'OP40', seq_no: 0, job_priority: 7 },
      });
    expect((await priority()).status).toBe(200);
    const replayed = await priority();
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
  });

  it('inside a transaction the key is stored with it: rolled back, the key is forgotten', async () => {
    const before = qtyProd();
    const open = await call(`${api.base}/api/v3/transaction`, {
      method: 'POST',
      token: supervisor,
    });
    const transId = (open.body as { trans_id: string }).trans_id;
    const inside = await post('tx-1', 6, supervisor, { trans_id: transId });
    expect(inside.status).toBe(200);
    const repeat = await post('tx-1', 6, supervisor, { trans_id: transId });
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    await call(`${api.base}/api/v3/transaction?action=rollback`, {
      method: 'PUT',
      token: supervisor,
      headers: { trans_id: transId },
    });
    expect(qtyProd()).toBe(before);
    const afterRollback = await post('tx-1', 6);
    expect(afterRollback.status).toBe(200);
    expect(afterRollback.headers.get('idempotent-replayed')).toBeNull();
    expect(qtyProd()).toBe(before + 6);
  });

  it('a malformed key is a 400 and runs nothing; GETs ignore the header', async () => {
    const before = qtyProd();
    for (const key of ['""', 'x'.repeat(256), 'café']) {
      const res = await post(key, 1);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID' });
    }
    expect(qtyProd()).toBe(before);
    const read = await call(`${api.base}/api/v3/entity/key?entId=5`, {
      token: supervisor,
      headers: { 'Idempotency-Key': 'read-1' },
    });
    expect(read.status).toBe(200);
  });

  it('keys expire: after the purge the same key runs again', async () => {
    const before = qtyProd();
    expect((await post('expiring-1', 1)).status).toBe(200);
    await api.app.get(MesIdempotency).purge(new Date(Date.now() + 2 * 86_400_000));
    expect((await post('expiring-1', 1)).headers.get('idempotent-replayed')).toBeNull();
    expect(qtyProd()).toBe(before + 2);
  });

  it('the stored answer survives a restart', async () => {
    const first = await post('restart-1', 9);
    expect(first.status).toBe(200);
    const before = qtyProd();
    await api.close();
    api = await startApi({ dbPath: join(dir, 'mes.sqlite') });
    const again = await post('restart-1', 9);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
    expect(qtyProd()).toBe(before);
  });
});
