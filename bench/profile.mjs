// Profiles the built API under one load scenario: starts it with --cpu-prof, loads one URL for
// PROFILE_S seconds (default 8) from a generator on the other core, stops it and prints the
// profile summary. Usage: node bench/profile.mjs <health|user|service|rotation> [path]
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchAuthority } from './lib/authority.mjs';
import {
  assertBuilt,
  benchUserId,
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
prepareDatabase(join(work, 'mes.sqlite'), { users });
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
  spec.tokens = [];
  for (let i = 1; i <= users; i++) spec.tokens.push(await authority.userToken(benchUserId(i)));
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
  { encoding: 'utf8' },
);
console.log(out.stdout);
if (process.env.PROFILE_KEEP) console.log(`profile: ${join(profileDir, file)}`);
else rmSync(work, { recursive: true, force: true });
