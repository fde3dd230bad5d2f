#!/usr/bin/env node
// `npm run test:consumer` (and CI): copies this app to a fresh temporary folder outside the
// workspace, installs it from the tarballs of `npm run pack:libs`, and runs its tests there.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const app = resolve(dirname(new URL(import.meta.url).pathname), '..');
const repo = resolve(app, '..', '..');
const tarballs = join(repo, 'dist', 'packages');
const copy = join(mkdtempSync(join(tmpdir(), 'mes-consumer-')), 'consumer-app');
const skip = new Set(['node_modules', 'dist', 'package-lock.json']);
cpSync(app, copy, {
  recursive: true,
  filter: (source) => !skip.has(source.slice(app.length + 1).split('/')[0]),
});
const run = (args) =>
  execFileSync(process.execPath, args, {
    cwd: copy,
    stdio: 'inherit',
    env: { ...process.env, MES_WEB_API_REPO: repo },
  });
try {
  console.log(`== consumer app in ${copy}`);
  run([join(copy, 'scripts', 'install-tarballs.mjs'), tarballs]);
  const npm = process.env.npm_execpath;
  if (npm) run([npm, 'test']);
  else
    execFileSync('npm', ['test'], {
      cwd: copy,
      stdio: 'inherit',
      env: { ...process.env, MES_WEB_API_REPO: repo },
    });
} finally {
  rmSync(dirname(copy), { recursive: true, force: true });
}
