#!/usr/bin/env node
// `npm run pack:libs`: builds every lib of libs/ (tsc -b, JavaScript + declarations into
// libs/<lib>/dist) and packs each into dist/packages/mes-web-api-<lib>-<version>.tgz. Fails when
// a tarball holds anything but built files (sources, specs, fixtures, source maps), or when built
// code reaches outside its own package other than by a package name.
//
// libs/<lib>/dist is removed again at the end: while it exists, node_modules/@mes-web-api/<lib>
// (the workspace link) resolves, and `nest build` then leaves the app's imports of the libs as
// package names instead of rewriting them to its own dist/libs, so the app would run stale code.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const OUT = join(ROOT, 'dist', 'packages');
const require = createRequire(import.meta.url);
const libs = readdirSync(join(ROOT, 'libs'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function run(command, args) {
  return execFileSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

for (const lib of libs) rmSync(join(ROOT, 'libs', lib, 'dist'), { recursive: true, force: true });
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

console.log(`== build ${libs.length} libs (tsc -b libs/tsconfig.build.json)`);
run(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'libs/tsconfig.build.json']);

const problems = [];
const REQUIRE = /require\("([^"]+)"\)/g;
for (const lib of libs) {
  const dist = join(ROOT, 'libs', lib, 'dist');
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  for (const file of walk(dist).filter((f) => f.endsWith('.js'))) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(REQUIRE)) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (!(target + sep).startsWith(dist + sep))
        problems.push(`${relative(ROOT, file)}: require("${spec}") leaves the package`);
    }
  }
}

console.log('== pack');
const packed = JSON.parse(
  run('npm', ['pack', '--workspaces', '--json', '--pack-destination', OUT, '--loglevel=error']),
);
const ALLOWED = /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/.+\.(js|d\.ts|json))$/;
const FORBIDDEN = /(\.spec\.|__fixtures__|__golden__|\.map$|\.tsbuildinfo$)/;
for (const pkg of packed) {
  const paths = pkg.files.map((f) => f.path);
  for (const path of paths) {
    if (!ALLOWED.test(path) || FORBIDDEN.test(path))
      problems.push(`${pkg.name}: ${path} must not be packed`);
  }
  for (const needed of ['README.md', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts']) {
    if (!paths.includes(needed)) problems.push(`${pkg.name}: ${needed} is missing`);
  }
  console.log(`${pkg.filename}  ${paths.length} files, ${(pkg.size / 1024).toFixed(0)} kB`);
}
if (packed.length !== libs.length)
  problems.push(`packed ${packed.length} packages for ${libs.length} libs`);
for (const lib of libs) rmSync(join(ROOT, 'libs', lib, 'dist'), { recursive: true, force: true });
if (problems.length > 0) {
  console.error(`pack:libs failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`${packed.length} tarballs in ${relative(ROOT, OUT)}/`);
