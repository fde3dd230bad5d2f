// Profiles the built API under one load scenario: starts it with --cpu-prof, loads one URL for
// PROFILE_S seconds (default 8) from a generator on the other core, stops it and prints the
// profile summary. Usage: node bench/profile.mjs <health|user|service|rotation|production> [path]
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchAuthority } from './lib/authority.mjs';
import {
  assertBuilt,
  BENCH_WO,
  benchUserId,
  PRODUCER_ENT_BASE,
  producerOperId,
  nodeCommand,
  prepareDatabase,
  ROOT,
  startApiProcess,
} from './lib/api-process.mjs';

const [kind = 'user', path = '/mesmw/api/v3/systemAttribute/199'] = process.argv.slice(2);
const seconds = Number(process.env.PROFILE_S ?? 8);
assertBuilt();
const work = mkdtempSync(join(tmpdir(), 'mes-profile-'));
const authority = await startBenchAuthority();
const users = kind === 'rotation' ? 1000 : 0;
const producers = kind === 'production' ? 50 : 0;
prepareDatabase(join(work, 'mes.sqlite'), { users, producers });
const profileDir = join(work, 'prof');
const api = await startApiProcess({
  dbPath: join(work, 'mes.sqlite'),
  issuer: authority.issuer,
  cpu: 0,
  nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
});
const spec = {
  url: api.origin + (kind === 'health' ? '/mesmw/health' : path),
  connections: 50,
  durationS: seconds,
};
if (kind === 'user')
  spec.headers = { authorization: `Bearer ${await authority.userToken('mes\\operator')}` };
if (kind === 'service')
  spec.headers = { authorization: `Bearer ${await authority.serviceToken()}` };
if (kind === 'rotation') {
  const { pathname, search } = new URL(spec.url);
  spec.requests = [];
  for (let i = 1; i <= users; i++)
    spec.requests.push({
      method: 'GET',
      path: pathname + search,
      token: await authority.userToken(benchUserId(i)),
    });
}
if (kind === 'production') {
  // One Running job per producing entity, started through the API; posts go to them in turn.
  const token = await authority.userToken('mes\\supervisor');
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  spec.url = `${api.origin}/mesmw/api/v3/production/byJob`;
  spec.requests = [];
  for (let p = 0; p < producers; p++) {
    const job = { wo_id: BENCH_WO, oper_id: producerOperId(p), seq_no: 0 };
    const entId = PRODUCER_ENT_BASE + p;
    const res = await fetch(`${api.origin}/mesmw/api/v3/jobs/start`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ ent_id: entId, run_ent_id: entId, ...job }),
    });
    if (res.status !== 200)
      throw new Error(`start ${job.oper_id}: ${res.status} ${await res.text()}`);
    spec.requests.push({
      method: 'POST',
      path: '/mesmw/api/v3/production/byJob',
      token,
      body: JSON.stringify({ ...job, qty_prod: 1 }),
    });
  }
}
const specFile = join(work, 'spec.json');
writeFileSync(specFile, JSON.stringify({ ...spec, durationS: 2 }));
const [cmd, args] = nodeCommand([join(ROOT, 'bench', 'lib', 'generator.mjs'), specFile], 1);
// Asynchronous: the authority in this process must keep answering while the load runs.
const generate = () =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.once('exit', () => resolve(out.trim()));
  });
await generate(); // warm-up
writeFileSync(specFile, JSON.stringify(spec));
console.log(await generate());
await api.stop();
await authority.close();
const [file] = readdirSync(profileDir);
const out = spawnSync(
  process.execPath,
  [
    join(ROOT, 'bench', 'profile-summary.mjs'),
    join(profileDir, file),
    process.env.PROFILE_TOP ?? '40',
  ],
  // The load only: the samples of its last `seconds` (start-up and warm-up left out).
  { encoding: 'utf8', env: { ...process.env, PROFILE_LAST_S: String(seconds + 0.5) } },
);
console.log(out.stdout);
if (process.env.PROFILE_KEEP) console.log(`profile: ${join(profileDir, file)}`);
else rmSync(work, { recursive: true, force: true });
