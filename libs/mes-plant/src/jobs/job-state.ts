/** `job.state_cd` values (AVEVA MES job states). */
export enum JobState {
  New = 1,
  Ready = 2,
  Running = 3,
  Completed = 4,
  Suspended = 5,
  OnHold = 6,
  Canceled = 7,
}

export const JOB_STATES: readonly JobState[] = [
  JobState.New,
  JobState.Ready,
  JobState.Running,
  JobState.Completed,
  JobState.Suspended,
  JobState.OnHold,
  JobState.Canceled,
];

export const JOB_STATE_NAMES: Readonly<Record<JobState, string>> = Object.freeze({
  [JobState.New]: 'New',
  [JobState.Ready]: 'Ready',
  [JobState.Running]: 'Running',
  [JobState.Completed]: 'Completed',
  [JobState.Suspended]: 'Suspended',
  [JobState.OnHold]: 'On Hold',
  [JobState.Canceled]: 'Canceled',
});

/**
 * The one job state machine: for each current state, the states a job may be set to.
 * Every pair not listed (including a state to itself) is refused with 409.
 *
 *   from \ to   New Ready Running Completed Suspended OnHold Canceled
 *   New          -    x      x        -         -        x      x
 *   Ready        x    -      x        -         -        x      x
 *   Running      -    -      -        x         x        x      -
 *   Completed    -    -      -        -         -        -      -
 *   Suspended    -    -      x        x         -        x      x
 *   On Hold      -    x      x        x         x        -      x
 *   Canceled     -    -      -        -         -        -      -
 *
 * Completed and Canceled are final. A running job must be ended or paused before it can be
 * canceled. Operations narrow it further: Start = any → Running the table allows (so not from
 * Running, Completed or Canceled); End = Running, Suspended or On Hold → Completed;
 * Pause = Running → Suspended or On Hold only.
 */
export const JOB_STATE_TRANSITIONS: ReadonlyMap<JobState, ReadonlySet<JobState>> = new Map([
  [JobState.New, new Set([JobState.Ready, JobState.Running, JobState.OnHold, JobState.Canceled])],
  [JobState.Ready, new Set([JobState.New, JobState.Running, JobState.OnHold, JobState.Canceled])],
  [JobState.Running, new Set([JobState.Completed, JobState.Suspended, JobState.OnHold])],
  [JobState.Completed, new Set<JobState>()],
  [
    JobState.Suspended,
    new Set([JobState.Running, JobState.Completed, JobState.OnHold, JobState.Canceled]),
  ],
  [
    JobState.OnHold,
    new Set([
      JobState.Ready,
      JobState.Running,
      JobState.Completed,
      JobState.Suspended,
      JobState.Canceled,
    ]),
  ],
  [JobState.Canceled, new Set<JobState>()],
]);

export function isJobState(value: unknown): value is JobState {
  return typeof value === 'number' && JOB_STATES.includes(value);
}

/** True when the table allows `from` → `to`. Unknown codes are never allowed. */
export function canChangeJobState(from: number, to: number): boolean {
  if (!isJobState(from) || !isJobState(to)) return false;
  return JOB_STATE_TRANSITIONS.get(from)?.has(to) ?? false;
}

/** The name of a state code, or `state <n>` for a code outside the table. */
export function jobStateName(state: number): string {
  return isJobState(state) ? JOB_STATE_NAMES[state] : `state ${state}`;
}

/** How a job is named in MES messages: `<wo_id>-<oper_id>-<seq_no>`. */
export function jobLabel(key: { woId: string; operId: string; seqNo: number }): string {
  return `${key.woId}-${key.operId}-${key.seqNo}`;
}
