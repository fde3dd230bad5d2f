// `npm run test:load`: the built API under sustained mixed load, then checks that nothing broke.
//
//   LOAD_DURATION_S  measured phase, seconds (default 60; CI uses 15)
//   LOAD_WARMUP_S    warm-up under the same mix before the memory baseline (default 30: V8 grows
//                    its heap to the load over the first ~20 s). RSS is compared shortly after
//                    the warm-up's last full GC and the measured phase's last; the measured phase
//                    is extended in 5 s steps (at most 90 s) until it has two full GCs.
//   LOAD_CONNECTIONS concurrent connections (default 200)
//
// Mix (shares of the connections): entity reads with 200 distinct user tokens in rotation (45%),
// entity reads with a service token (25%), production posts on Running jobs (20%), job
// Start/End cycles, one entity per connection (10%), and 2 connections running MES transactions
// (open, two production posts, commit or roll back). Asserts: no 5xx, no socket errors, every
// answer 2xx, no lost or duplicated write (job quantities, job states and job_history rows in the
// database equal the 2xx answers), resident memory growth of the API < 50 MB.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchAuthority } from '../../bench/lib/authority.mjs';
import { median } from '../../bench/lib/stats.mjs';
import {
  assertBuilt,
  BENCH_WO,
  benchUserId,
  LANE_ENT_BASE,
  laneJobOperId,
  prepareDatabase,
  ROOT,
  startApiProcess,
  intSetting,
} from '../../bench/lib/api-process.mjs';

const require = createRequire(import.meta.url);
const DURATION_S = intSetting('LOAD_DURATION_S', 60, 1, 3600);
const WARMUP_S = intSetting('LOAD_WARMUP_S', 30, 0, 600);
const CONNECTIONS = intSetting('LOAD_CONNECTIONS', 200, 10, 2000);
const RSS_LIMIT_MB = 50;
/** RSS samples (every 500 ms) whose median stands for a phase's end: 5 s. */
const RSS_WINDOW = 10;
/** Full GCs the measured phase needs for the live-heap and resident-memory checks. */
const FULL_GCS_NEEDED = 2;
/** How far the measured phase is extended (in 5 s steps) until it has FULL_GCS_NEEDED. */
const EXTEND_MAX_S = 90;
/** After a full GC, when its freed pages have been given back, RSS is read. */
const AFTER_GC_MS = 300;

const USERS = 200;
const ENTITY_ID = 5;

const share = (f) => Math.max(1, Math.round(CONNECTIONS * f));
const cycleConns = share(0.1);
const productionConns = share(0.2);
const serviceConns = share(0.25);
/**
 * MES transactions: few, because on SQLite an open transaction holds the write lock and every
 * other write waits for it (README, MES transactions).
 */
const txConns = 2;
const userConns = CONNECTIONS - cycleConns - productionConns - serviceConns - txConns;
const PRODUCTION_JOBS = 10;
// Lanes 0..cycleConns-1 cycle jobs; the next PRODUCTION_JOBS lanes each run one job for posts,
// the next txConns one job each for the transactions' posts.
const lanes = cycleConns + PRODUCTION_JOBS + txConns;
const JOBS_PER_LANE = Math.max(200, (DURATION_S + WARMUP_S + EXTEND_MAX_S) * 40);

const work = mkdtempSync(join(tmpdir(), 'mes-load-'));
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

function rssMb(pid) {
  const file = `/proc/${pid}/status`;
  if (!existsSync(file)) return undefined;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(file, 'utf8'));
  return m ? Number(m[1]) / 1024 : undefined;
}

function runGenerator(spec) {
  const file = join(work, `spec-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(spec));
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'test', 'load', 'load-generator.mjs'), file],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()));
      } catch {
        reject(new Error(`load generator exited ${code}: ${out}${err}`));
      }
    });
  });
}

/** The generator results of several phases added up, per kind of traffic. */
function sumResults(results) {
  const total = {};
  for (const result of results) {
    for (const [name, c] of Object.entries(result)) {
      const t = (total[name] ??= {
        requests: 0,
        socketErrors: 0,
        byStatus: {},
        ok: 0,
        started: 0,
        ended: 0,
        unexpected: [],
        samples5xx: [],
        errorKinds: {},
      });
      t.requests += c.requests;
      t.socketErrors += c.socketErrors;
      t.ok += c.ok ?? 0;
      t.started += c.started ?? 0;
      t.ended += c.ended ?? 0;
      for (const [s, n] of Object.entries(c.byStatus)) t.byStatus[s] = (t.byStatus[s] ?? 0) + n;
      for (const [s, n] of Object.entries(c.errorKinds))
        t.errorKinds[s] = (t.errorKinds[s] ?? 0) + n;
      t.unexpected.push(...c.unexpected);
      t.samples5xx.push(...c.samples5xx);
    }
  }
  return total;
}

async function main() {
  assertBuilt();
  console.log(
    `load: ${CONNECTIONS} connections (${userConns} user reads, ${serviceConns} service reads, ${productionConns} production posts, ${cycleConns} job cycles), ${WARMUP_S} s warm-up + ${DURATION_S} s`,
  );
  const authority = await startBenchAuthority();
  const dbPath = join(work, 'mes.sqlite');
  prepareDatabase(dbPath, { users: USERS, lanes, jobsPerLane: JOBS_PER_LANE });
  // Full GCs are logged (one line each) so that the live heap after each can be followed: RSS
  // moves with V8's heap sizing, the post-GC floor moves only with memory that is really kept.
  const api = await startApiProcess({
    dbPath,
    issuer: authority.issuer,
    nodeArgs: ['--trace-gc', '--trace-gc-ignore-scavenger'],
  });
  // Each full GC as --trace-gc reports it: the live heap after it, and the resident memory
  // shortly after it (the same point of V8's GC cycle every time; between full GCs RSS climbs by
  // tens of MB with garbage V8 has not collected yet).
  const fullGcs = [];
  const readGcLines = () => {
    let partial = '';
    return (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      for (const line of lines) {
        const m = /Mark-Compact.*?-> ([\d.]+) \(([\d.]+)\)/.exec(line);
        if (!m) continue;
        // Live heap and the heap's committed size after the GC (V8's young generation is part of
        // the committed size, and V8 grows and shrinks it with the load).
        const gc = { liveMb: Number(m[1]), committedMb: Number(m[2]), rssMb: undefined };
        fullGcs.push(gc);
        setTimeout(() => (gc.rssMb = rssMb(api.pid)), AFTER_GC_MS);
      }
    };
  };
  api.child.stdout.on('data', readGcLines());
  api.child.stderr.on('data', readGcLines());
  let exitCode;
  try {
    const userTokens = [];
    for (let i = 1; i <= USERS; i++) userTokens.push(await authority.userToken(benchUserId(i)));
    const service = await authority.serviceToken();
    const supervisor = await authority.userToken('mes\\supervisor');

    // The production jobs (job 0 of each production lane) and the transactions' jobs (job 0 of
    // each transaction lane), started through the API.
    const startLaneJob = async (l) => {
      const operId = laneJobOperId(l, 0);
      const res = await fetch(`${api.base}/api/v3/Jobs/Start`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${supervisor}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          wo_id: BENCH_WO,
          oper_id: operId,
          seq_no: 0,
          ent_id: LANE_ENT_BASE + l,
          run_ent_id: LANE_ENT_BASE + l,
        }),
      });
      if (res.status !== 200)
        throw new Error(`cannot start job ${operId}: ${res.status} ${await res.text()}`);
      return operId;
    };
    const productionJobs = [];
    for (let p = 0; p < PRODUCTION_JOBS; p++) {
      productionJobs.push(await startLaneJob(cycleConns + p));
    }
    const txJobs = [];
    for (let t = 0; t < txConns; t++) {
      txJobs.push(await startLaneJob(cycleConns + PRODUCTION_JOBS + t));
    }

    const cycleLanes = (from) =>
      Array.from({ length: cycleConns }, (_, l) => ({
        entId: LANE_ENT_BASE + l,
        jobs: Array.from({ length: JOBS_PER_LANE - from[l] }, (_, j) =>
          laneJobOperId(l, from[l] + j),
        ),
      }));
    const mix = (from) => [
      {
        kind: 'read',
        name: 'user reads',
        connections: userConns,
        path: `/mesmw/api/v3/entity/key?entId=${ENTITY_ID}`,
        tokens: userTokens,
      },
      {
        kind: 'read',
        name: 'service reads',
        connections: serviceConns,
        path: `/mesmw/api/v3/entity/key?entId=${ENTITY_ID}`,
        tokens: [service],
      },
      {
        kind: 'production',
        name: 'production posts',
        connections: productionConns,
        woId: BENCH_WO,
        jobs: productionJobs,
        token: service,
      },
      {
        kind: 'transaction',
        name: 'MES transactions',
        connections: txConns,
        woId: BENCH_WO,
        jobs: txJobs,
        tokens: [supervisor, service],
      },
      {
        kind: 'jobCycle',
        name: 'job cycles',
        connections: cycleConns,
        woId: BENCH_WO,
        lanes: cycleLanes(from),
        token: supervisor,
      },
    ];

    const phases = [];
    const used = new Array(cycleConns).fill(0);
    // Each phase's job cycles continue after the jobs earlier phases consumed: read back from the
    // database.
    const readUsed = () => {
      const Database = require('better-sqlite3');
      const db = new Database(dbPath, { readonly: true });
      try {
        const consumed = db.prepare(
          `SELECT COUNT(*) AS n FROM job WHERE wo_id = ? AND target_ent_id = ? AND state_cd <> 2`,
        );
        for (let l = 0; l < cycleConns; l++) {
          used[l] = consumed.get(BENCH_WO, LANE_ENT_BASE + l).n;
        }
      } finally {
        db.close();
      }
    };
    const runPhase = async (durationS) => {
      readUsed();
      const t0 = Date.now();
      const result = await runGenerator({ origin: api.origin, durationS, mix: mix(used) });
      const elapsed = (Date.now() - t0) / 1000;
      phases.push({ durationS: elapsed, result });
      return result;
    };
    const afterGcReadings = () => new Promise((done) => setTimeout(done, AFTER_GC_MS + 100));

    // Resident memory is compared at the same point of V8's GC cycle: shortly after the last full
    // GC of the warm-up and shortly after the last full GC of the measured phase. Between full
    // GCs, RSS climbs by tens of MB with garbage V8 has not collected yet (V8 sizes that room to
    // the load), so a reading at any other moment lands anywhere in that sawtooth; a leak raises
    // the post-GC level. The measured phase is extended in 5 s steps (at most EXTEND_MAX_S) until
    // it has FULL_GCS_NEEDED full GCs. RSS is also sampled every 500 ms, for the report.
    let samples = [];
    const sampler = setInterval(() => {
      const r = rssMb(api.pid);
      if (r !== undefined) samples.push(r);
    }, 500);
    const settled = () => median(samples.slice(-RSS_WINDOW));
    let baseline = rssMb(api.pid);
    if (WARMUP_S > 0) {
      await runPhase(WARMUP_S);
      baseline = settled() ?? rssMb(api.pid);
    }
    await afterGcReadings();
    const warmGc = fullGcs.at(-1);
    samples = [];
    const fullGcsBefore = fullGcs.length;
    const measured = [await runPhase(DURATION_S)];
    let extendedS = 0;
    while (fullGcs.length - fullGcsBefore < FULL_GCS_NEEDED && extendedS < EXTEND_MAX_S) {
      measured.push(await runPhase(5));
      extendedS += 5;
    }
    await afterGcReadings();
    clearInterval(sampler);
    const timeline = samples.map((r) => Math.round(r));
    const peak = Math.max(baseline ?? 0, ...samples);
    const final = settled() ?? rssMb(api.pid);
    const measuredGcs = fullGcs.slice(fullGcsBefore);
    const measuredGcRead = measuredGcs.filter((gc) => gc.rssMb !== undefined);

    // Totals over every phase (the database holds the writes of all of them).
    const total = sumResults(phases.map((p) => p.result));
    const main = sumResults(measured);

    const mainElapsed = phases.slice(-measured.length).reduce((sum, p) => sum + p.durationS, 0);
    console.log(
      `\nmeasured phase: ${mainElapsed.toFixed(1)} s${extendedS > 0 ? ` (extended by ${extendedS} s to reach ${FULL_GCS_NEEDED} full GCs)` : ''}`,
    );
    console.log('| traffic | connections | requests | req/s | answers |');
    console.log('|---|---:|---:|---:|---|');
    const conns = {
      'user reads': userConns,
      'service reads': serviceConns,
      'production posts': productionConns,
      'job cycles': cycleConns,
      'MES transactions': txConns,
    };
    for (const [name, c] of Object.entries(main)) {
      console.log(
        `| ${name} | ${conns[name]} | ${c.requests} | ${(c.requests / mainElapsed).toFixed(0)} | ${Object.entries(
          c.byStatus,
        )
          .map(([s, n]) => `${s}: ${n}`)
          .join(', ')}${c.socketErrors ? `, socket errors: ${c.socketErrors}` : ''} |`,
      );
    }
    console.log(
      `API resident memory (median of the last ${RSS_WINDOW / 2} s of each phase): ${baseline?.toFixed(1)} MB after warm-up, ${final?.toFixed(1)} MB at the end, peak ${peak.toFixed(1)} MB`,
    );
    const every = Math.max(1, Math.round(timeline.length / 12));
    console.log(
      `  (MB, every ${(every / 2).toFixed(1)} s: ${timeline.filter((_, i) => i % every === 0).join(' ')})\n`,
    );

    const floors = measuredGcs.map((gc) => gc.liveMb);
    console.log(
      `  live heap after each full GC in the measured phase (MB): ${floors.join(' ') || '(none)'}`,
    );

    exitCode = await api.stop('SIGTERM');

    const all = Object.values(total);
    const count = (pred) =>
      all.reduce(
        (n, t) =>
          n +
          Object.entries(t.byStatus)
            .filter(([s]) => pred(Number(s)))
            .reduce((m, [, k]) => m + k, 0),
        0,
      );
    const fivexx = count((s) => s >= 500);
    check(
      fivexx === 0,
      `no 5xx answer (${fivexx})${
        fivexx
          ? `: ${all
              .flatMap((t) => t.samples5xx)
              .slice(0, 3)
              .join(' | ')}`
          : ''
      }`,
    );
    const socketErrors = all.reduce((n, t) => n + t.socketErrors, 0);
    check(
      socketErrors === 0,
      `no socket error (${socketErrors})${socketErrors ? `: ${JSON.stringify(all.map((t) => t.errorKinds))}` : ''}`,
    );
    const other = count((s) => s < 200 || s >= 300);
    check(
      other === 0,
      `every answer is 2xx (${other} are not)${
        other
          ? `: ${all
              .flatMap((t) => t.unexpected)
              .slice(0, 3)
              .join(' | ')}`
          : ''
      }`,
    );
    const requests = all.reduce((n, t) => n + t.requests, 0);
    check(
      requests > 0 &&
        total['user reads'].requests > 0 &&
        total['job cycles'].ended > 0 &&
        total['production posts'].ok > 0 &&
        total['MES transactions'].started > 0 &&
        total['MES transactions'].ended > 0,
      `traffic of every kind was served (${requests} requests)`,
    );

    const Database = require('better-sqlite3');
    const db = new Database(dbPath, { readonly: true });
    try {
      const p = total['production posts'];
      const marks = productionJobs.map(() => '?').join(', ');
      const qty = db
        .prepare(`SELECT SUM(qty_prod) AS q FROM job WHERE wo_id = ? AND oper_id IN (${marks})`)
        .get(BENCH_WO, ...productionJobs).q;
      check(
        qty === p.ok,
        `production: sum of job.qty_prod ${qty} = 2xx production answers ${p.ok} (qty 1 each)`,
      );
      const rows = db
        .prepare(
          `SELECT COUNT(*) AS n FROM job_history WHERE wo_id = ? AND event = 'Production' AND oper_id IN (${marks})`,
        )
        .get(BENCH_WO, ...productionJobs).n;
      check(
        rows === p.ok,
        `production: job_history Production rows ${rows} = 2xx production answers ${p.ok}`,
      );

      const t = total['MES transactions'];
      const tm = txJobs.map(() => '?').join(', ');
      const txQty = db
        .prepare(`SELECT SUM(qty_prod) AS q FROM job WHERE wo_id = ? AND oper_id IN (${tm})`)
        .get(BENCH_WO, ...txJobs).q;
      const txRows = db
        .prepare(
          `SELECT COUNT(*) AS n FROM job_history WHERE wo_id = ? AND event = 'Production' AND oper_id IN (${tm})`,
        )
        .get(BENCH_WO, ...txJobs).n;
      check(
        txQty === t.ok && txRows === t.ok,
        `MES transactions: qty_prod ${txQty} and Production rows ${txRows} = posts of the ${t.started} committed transactions ${t.ok} (${t.ended} rolled back left nothing)`,
      );

      const c = total['job cycles'];
      const laneEnts = Array.from({ length: cycleConns }, (_, l) => LANE_ENT_BASE + l);
      const lm = laneEnts.map(() => '?').join(', ');
      const states = Object.fromEntries(
        db
          .prepare(
            `SELECT state_cd AS s, COUNT(*) AS n FROM job WHERE wo_id = ? AND target_ent_id IN (${lm}) GROUP BY state_cd`,
          )
          .all(BENCH_WO, ...laneEnts)
          .map((r) => [r.s, r.n]),
      );
      check(
        (states[4] ?? 0) === c.ended,
        `job cycles: Completed jobs ${states[4] ?? 0} = 2xx End answers ${c.ended}`,
      );
      check(
        (states[3] ?? 0) === c.started - c.ended,
        `job cycles: Running jobs ${states[3] ?? 0} = started ${c.started} - ended ${c.ended}`,
      );
      const hist = Object.fromEntries(
        db
          .prepare(
            `SELECT event, COUNT(*) AS n FROM job_history WHERE wo_id = ? AND ent_id IN (${lm}) GROUP BY event`,
          )
          .all(BENCH_WO, ...laneEnts)
          .map((r) => [r.event, r.n]),
      );
      check(
        (hist.Start ?? 0) === c.started && (hist.End ?? 0) === c.ended,
        `job cycles: job_history Start ${hist.Start ?? 0} / End ${hist.End ?? 0} rows = 2xx answers ${c.started} / ${c.ended}`,
      );
      const busy = db
        .prepare(
          `SELECT COUNT(*) AS n FROM job_exec WHERE ent_id IN (${lm}) AND cur_wo_id IS NOT NULL`,
        )
        .get(...laneEnts).n;
      check(
        busy === c.started - c.ended,
        `job cycles: job positions in use ${busy} = jobs still running ${c.started - c.ended}`,
      );
      const integrity = db.prepare('PRAGMA integrity_check').get().integrity_check;
      check(integrity === 'ok', `database integrity_check: ${integrity}`);
    } finally {
      db.close();
    }

    if (floors.length >= FULL_GCS_NEEDED) {
      const growth = floors[floors.length - 1] - floors[0];
      check(
        growth < 20,
        `live heap after full GC grows ${growth.toFixed(1)} MB < 20 MB over the measured phase (no leak)`,
      );
    } else {
      check(
        false,
        `live heap: ${floors.length} full GC(s) in the measured phase (extended by ${extendedS} s), ${FULL_GCS_NEEDED} needed`,
      );
    }
    // After-GC readings, from the warm-up's last (else the measured phase's first) to the
    // measured phase's last. What the process holds outside V8's heap (RSS minus the heap's
    // committed size: SQLite, buffers, native code) must stay flat; the heap itself is checked
    // by its live size above. RSS alone moves by 100 MB and more with the young generation
    // V8 sizes to the load, so it is shown, not judged.
    const fromGc = warmGc?.rssMb !== undefined ? warmGc : measuredGcRead[0];
    const toGc = measuredGcRead.at(-1);
    const offHeap = (gc) => gc.rssMb - gc.committedMb;
    if (rssMb(process.pid) === undefined) {
      console.log('skip resident memory check: /proc is not available here');
    } else if (
      fromGc !== undefined &&
      toGc !== undefined &&
      measuredGcRead.length >= (fromGc === warmGc ? 1 : 2)
    ) {
      const growth = offHeap(toGc) - offHeap(fromGc);
      check(
        growth < RSS_LIMIT_MB,
        `memory outside the V8 heap grows ${growth.toFixed(1)} MB < ${RSS_LIMIT_MB} MB, after full GCs (${offHeap(fromGc).toFixed(1)} -> ${offHeap(toGc).toFixed(1)} MB; RSS ${fromGc.rssMb.toFixed(1)} -> ${toGc.rssMb.toFixed(1)} MB with the heap committing ${fromGc.committedMb.toFixed(1)} -> ${toGc.committedMb.toFixed(1)} MB; RSS medians of the phase ends ${(final - baseline).toFixed(1)} MB, peak ${(peak - baseline).toFixed(1)} MB over the warm-up's)`,
      );
    } else {
      check(false, 'resident memory: no RSS reading after a full GC in the measured phase');
    }
    console.log(`API exit after SIGTERM: ${exitCode}`);
  } finally {
    await api.stop('SIGTERM');
    await authority.close();
  }
}

let code = 1;
try {
  await main();
  code = failures.length === 0 ? 0 : 1;
  console.log(
    failures.length === 0 ? '\nload suite: PASS' : `\nload suite: FAIL (${failures.length})`,
  );
} catch (err) {
  console.error(`load suite: ${err instanceof Error ? err.stack : String(err)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(code);
