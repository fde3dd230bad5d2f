import {
  MesWebApiClient,
  MesWebApiClientError,
  MesWebApiError,
  MesWebApiMethod,
  MesWebApiRequestOptions,
} from '@mes-web-api/web-api-client';
import { CronExpression } from './cron';

export interface ScheduledCall {
  definition: string;
  method: MesWebApiMethod;
  route: string;
  request?: MesWebApiRequestOptions;
}

export type Schedule = { everyMs: number } | { cron: CronExpression };

export interface SchedulerDeps {
  client: MesWebApiClient;
  log: (line: string) => void;
  now?: () => number;
}

export interface RunningScheduler {
  /** Outcomes so far (for tests and a final summary). */
  readonly runs: number;
  stop(): Promise<void>;
}

/**
 * Runs one MES Web API call on an interval or a cron schedule, logging status and duration
 * (never tokens). One client for all runs, so a service token is reused until it expires. A
 * run still in progress when the next one is due makes that one skip.
 */
export function startScheduler(
  call: ScheduledCall,
  schedule: Schedule,
  deps: SchedulerDeps,
): RunningScheduler {
  const now = deps.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let stopped = false;
  let runs = 0;

  const runOnce = async (): Promise<void> => {
    runs += 1;
    const started = now();
    const what = `${call.method} ${call.route} via "${call.definition}"`;
    try {
      const response = await deps.client.request(
        call.method,
        call.definition,
        call.route,
        call.request,
      );
      deps.log(
        `${what} → ${response.status} in ${now() - started} ms (attempts: ${response.attempts})`,
      );
    } catch (error) {
      const duration = now() - started;
      if (error instanceof MesWebApiError) {
        deps.log(
          `${what} → HTTP ${error.statusCode} in ${duration} ms: ${error.webApiErrorMessage}`,
        );
      } else if (error instanceof MesWebApiClientError) {
        deps.log(`${what} → ${error.kind} error after ${duration} ms: ${error.message}`);
      } else {
        deps.log(`${what} → failed after ${duration} ms: ${String(error)}`);
      }
    }
  };

  const tick = (): void => {
    if (stopped) return;
    if (current) {
      deps.log(`previous run still in progress; skipping this one`);
    } else {
      current = runOnce().finally(() => {
        current = undefined;
      });
    }
    scheduleNext();
  };

  const scheduleNext = (): void => {
    if (stopped) return;
    const delay =
      'everyMs' in schedule
        ? schedule.everyMs
        : schedule.cron.next(new Date(now())).getTime() - now();
    timer = setTimeout(tick, Math.max(0, delay));
  };

  if ('everyMs' in schedule) {
    tick();
  } else {
    deps.log(
      `next run at ${schedule.cron.next(new Date(now())).toISOString()} (cron "${schedule.cron.source}")`,
    );
    scheduleNext();
  }

  return {
    get runs() {
      return runs;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
