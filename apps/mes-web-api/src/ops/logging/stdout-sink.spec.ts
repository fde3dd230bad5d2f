import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');

/** Runs a script in a fresh node process (the sink hooks process exit) and returns its stdout. */
function run(script: string): string {
  const result = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-e', script],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    },
  );
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

const SINK = "const { batchedStdout } = require('./apps/mes-web-api/src/ops/logging/stdout-sink');";

describe('batchedStdout', () => {
  it('writes the pending lines together, in order, shortly after the first', () => {
    const out = run(
      `${SINK} const s = batchedStdout(); s.write('a\\n'); s.write('b\\n');
       process.stdout.write('sync\\n'); setImmediate(() => { s.write('c\\n'); });`,
    );
    expect(out).toBe('sync\na\nb\nc\n');
  });

  it('loses nothing on process.exit() or an uncaught error', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}`);
    const exit = run(
      `${SINK} const s = batchedStdout(); for (let i = 0; i < 1000; i++) s.write('line ' + i + '\\n'); process.exit(0);`,
    );
    expect(exit.split('\n').filter(Boolean)).toEqual(lines);
    const crashed = spawnSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-e',
        `${SINK} const s = batchedStdout(); s.write('before\\n'); throw new Error('boom');`,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(crashed.status).not.toBe(0);
    expect(crashed.stdout).toBe('before\n');
  });

  it('writes at once when the 64 KB buffer is full', () => {
    const out = run(
      `${SINK} const s = batchedStdout(); const line = 'x'.repeat(1000) + '\\n';
       for (let i = 0; i < 70; i++) s.write(line); process.stdout.write('marker\\n');`,
    );
    const marker = out.indexOf('marker');
    // The first 63 lines filled the buffer (a next line might not fit) and left before the marker.
    expect(marker).toBeGreaterThanOrEqual(63 * 1001);
    expect(out.length).toBe(70 * 1001 + 'marker\n'.length);
  });
});
