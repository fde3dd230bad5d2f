#!/usr/bin/env node
// Installs the app's dependencies plus the @mes-web-api/* packages from their tarballs
// (`npm run pack:libs` in the mes-web-api repository writes them to dist/packages/):
//
//   node scripts/install-tarballs.mjs [<folder with the .tgz files>]   (default ../../dist/packages)
//
// Nothing comes from the repository's sources: only the packed tarballs.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const app = resolve(dirname(new URL(import.meta.url).pathname), '..');
const folder = resolve(process.argv[2] ?? join(app, '..', '..', 'dist', 'packages'));
const tarballs = readdirSync(folder)
  .filter((name) => /^mes-web-api-.+\.tgz$/.test(name))
  .map((name) => join(folder, name));
if (tarballs.length === 0) {
  console.error(
    `No mes-web-api-*.tgz in ${folder}: run \`npm run pack:libs\` in the repository first.`,
  );
  process.exit(1);
}
console.log(`installing ${tarballs.length} packages from ${folder}`);
execFileSync(
  'npm',
  ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', ...tarballs],
  {
    cwd: app,
    stdio: 'inherit',
    // better-sqlite3 (a dependency of @mes-web-api/mes-database) compiles from source here.
    env: { npm_config_nodedir: '/usr', ...process.env },
  },
);
