import { MesWebApiClient, MesWebApiMethod } from '@mes-web-api/web-api-client';
import { parseArgs } from 'node:util';
import { CronExpression, parseDuration } from './cron';
import { Schedule, startScheduler } from './scheduler';

const USAGE = `Usage: node dist/apps/mes-scheduler-example/src/main.js \\
  --definition <file> --name <item> (--every 60s | --cron '*/5 * * * *') [--data <json>] <VERB> <route>

Runs one MES Web API call on a schedule and logs each outcome (status, duration).
--utc evaluates the cron expression in UTC (default: local time). Ctrl+C stops.`;

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      definition: { type: 'string', short: 'd' },
      name: { type: 'string', short: 'n' },
      every: { type: 'string' },
      cron: { type: 'string' },
      utc: { type: 'boolean' },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const definitionsFile = values.definition ?? process.env.MES_WEB_API_DEFINITIONS;
  if (
    !definitionsFile ||
    !values.name ||
    positionals.length !== 2 ||
    !values.every === !values.cron
  ) {
    throw new Error(`Missing or conflicting arguments.\n\n${USAGE}`);
  }
  const schedule: Schedule = values.every
    ? { everyMs: parseDuration(values.every) }
    : { cron: new CronExpression(values.cron ?? '', values.utc === true) };
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const client = new MesWebApiClient({
    definitionsFile,
    logger: { log, warn: (line) => log(`WARN ${line}`) },
  });
  const scheduler = startScheduler(
    {
      definition: values.name,
      method: positionals[0].toUpperCase() as MesWebApiMethod,
      route: positionals[1],
      request: {
        body: values.data === undefined ? undefined : (JSON.parse(values.data) as unknown),
      },
    },
    schedule,
    { client, log },
  );
  const stop = () => {
    log('stopping');
    void scheduler.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
