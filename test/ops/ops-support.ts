// Helpers of the operations suites: the API as a real process (main.ts, all output kept), the
// metrics text, and the external tools (promtool, prometheus, systemd-analyze, nginx), which
// FAIL a run under CI=true when missing and are skipped with a message elsewhere.
import { ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

export interface ApiProcess {
  origin: string;
  base: string;
  /** From the start-up banner (METRICS_PORT=0 picks a free port). */
  metricsUrl?: string;
  child: ChildProcessWithoutNullStreams;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote to stdout and stderr so far (never truncated). */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** main.ts as a real process (ts-node, transpile only) on 127.0.0.1, a free port and a free metrics port. */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      join(ROOT, 'apps', 'mes-web-api', 'src', 'main.ts'),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        PORT: '0',
        HOST: '127.0.0.1',
        METRICS_PORT: '0',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const chunks: string[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c.toString()));
  child.stderr.on('data', (c: Buffer) => chunks.push(c.toString()));
  const output = (): string => chunks.join('');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  const banner = await new Promise<RegExpExecArray>((resolveBanner, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the API did not start within 40 s:\n${output()}`));
    }, 40_000);
    const onData = (): void => {
      const m = /MES Web API listening on (https?:\/\/[^/\s"]+)\/mesmw\//.exec(output());
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolveBanner(m);
      }
    };
    child.stdout.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the API exited (${code ?? signal}) before it was ready:\n${output()}`));
    });
  });
  const origin = banner[1];
  const metricsUrl = /(https?:\/\/[^\s"]+\/metrics)/.exec(output())?.[1];
  return {
    origin,
    base: `${origin}/mesmw`,
    metricsUrl,
    child,
    exited,
    output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Whether `command` runs here; under CI=true a missing tool counts as present, so the suite runs and fails. */
export function hasTool(command: string, args: string[], installHint: string): boolean {
  const found = spawnSync(command, args, { stdio: 'ignore' }).error === undefined;
  if (!found && !CI) {
    console.warn(
      `\n${'!'.repeat(78)}\n!! SKIPPED: ${command} is not installed (${installHint}).\n!! Under CI=true this is a failure, not a skip.\n${'!'.repeat(78)}\n`,
    );
  }
  return found || CI;
}

/** Sample values of one metric family, as `{labels string} -> value`. */
export function samples(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
    if (m && m[1] === name) out.set(m[2] ?? '', Number(m[3]));
  }
  return out;
}

/** Sum of a family's samples whose labels contain every one of `parts` (e.g. 'route="/x"'). */
export function sumWhere(text: string, name: string, ...parts: string[]): number {
  let sum = 0;
  for (const [labels, value] of samples(text, name)) {
    if (parts.every((p) => labels.includes(p))) sum += value;
  }
  return sum;
}

export async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return res.text();
}

/** `promtool check metrics` on the exposition: its exit code and what it said. */
export function promtoolCheck(text: string): { status: number | null; output: string } {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
