// Summarises a V8 .cpuprofile (from BENCH_CPU_PROF=1 npm run bench): self time by function and
// by package/file, top N. Usage: node bench/profile-summary.mjs <file.cpuprofile> [N]
// PROFILE_LAST_S=<s>: only the samples of the profile's last s seconds (the load, not start-up).
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [N]');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
const lastUs = Number(process.env.PROFILE_LAST_S ?? 0) * 1e6;
let from = 0;
if (lastUs > 0) {
  let at = profile.endTime;
  for (from = profile.samples.length; from > 0 && profile.endTime - at < lastUs;)
    at -= dt[--from] ?? 0;
}
for (let i = from; i < profile.samples.length; i++) {
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const where = (cf) => {
  const url = cf.url || '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.includes('/dist/')) return url.slice(url.indexOf('/dist/') + 1);
  if (url.startsWith('node:')) return url;
  return url;
};
const fn = new Map();
const pkg = new Map();
for (const [id, t] of self) {
  const cf = byId.get(id).callFrame;
  const k = `${cf.functionName || '(anonymous)'} ${where(cf)}:${cf.lineNumber + 1}`;
  fn.set(k, (fn.get(k) ?? 0) + t);
  const p = where(cf);
  pkg.set(p, (pkg.get(p) ?? 0) + t);
}
const show = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((t / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
  }
};
show('self time by package / file', pkg);
show('self time by function', fn);

// Inclusive time of JavaScript frames (a frame's own time plus its callees', counted once per
// stack even when recursive), to see which layers a request spends its time in.
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map();
for (const [id, t] of self) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const cf = byId.get(cur).callFrame;
    if (!cf.url) continue;
    const k = `${cf.functionName || '(anonymous)'} ${where(cf)}:${cf.lineNumber + 1}`;
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + t);
  }
}
if (process.env.PROFILE_INCLUSIVE)
  show('inclusive time by function (JavaScript frames)', inclusive);
