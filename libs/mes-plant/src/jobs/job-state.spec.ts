import {
  canChangeJobState,
  isJobState,
  jobLabel,
  JobState,
  jobStateName,
  JOB_STATES,
  JOB_STATE_TRANSITIONS,
} from './job-state';
import { refusedTransition } from './jobs.service';

// The README table, row = from, column = to (New Ready Running Completed Suspended OnHold Canceled).
const EXPECTED: Record<string, string> = {
  New: '-xx--xx',
  Ready: 'x-x--xx',
  Running: '---xxx-',
  Completed: '-------',
  Suspended: '--xx-xx',
  'On Hold': '-xxxx-x',
  Canceled: '-------',
};

const pairs = JOB_STATES.flatMap((from) =>
  JOB_STATES.map((to) => ({
    from,
    to,
    allowed: EXPECTED[jobStateName(from)][to - 1] === 'x',
  })),
);

describe('job state transition table', () => {
  it('covers all 7 states, each with a row', () => {
    expect(JOB_STATES).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect([...JOB_STATE_TRANSITIONS.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(pairs).toHaveLength(49);
  });

  it.each(pairs)('$from → $to allowed: $allowed', ({ from, to, allowed }) => {
    expect(canChangeJobState(from, to)).toBe(allowed);
  });

  it('never allows a state to itself, and Completed/Canceled are final', () => {
    for (const s of JOB_STATES) expect(canChangeJobState(s, s)).toBe(false);
    for (const to of JOB_STATES) {
      expect(canChangeJobState(JobState.Completed, to)).toBe(false);
      expect(canChangeJobState(JobState.Canceled, to)).toBe(false);
    }
  });

  it('matches the operations of SPEC section 2', () => {
    // Start fails only from Running, Completed, Canceled.
    expect(JOB_STATES.filter((s) => canChangeJobState(s, JobState.Running))).toEqual([1, 2, 5, 6]);
    // End requires Running, Suspended or On Hold.
    expect(JOB_STATES.filter((s) => canChangeJobState(s, JobState.Completed))).toEqual([3, 5, 6]);
    // Pause (Running → 5 or 6) is in the table.
    expect(canChangeJobState(JobState.Running, JobState.Suspended)).toBe(true);
    expect(canChangeJobState(JobState.Running, JobState.OnHold)).toBe(true);
  });

  it.each([0, 8, -1, 3.5, NaN])('refuses the unknown code %p on either side', (code) => {
    expect(isJobState(code)).toBe(false);
    expect(canChangeJobState(code, JobState.Ready)).toBe(false);
    expect(canChangeJobState(JobState.New, code)).toBe(false);
  });

  it('names states and jobs the MES way', () => {
    expect(jobStateName(JobState.OnHold)).toBe('On Hold');
    expect(jobStateName(9)).toBe('state 9');
    expect(jobLabel({ woId: '1001', operId: '10', seqNo: 0 })).toBe('1001-10-0');
  });

  it('explains a refusal with an MES-style 409 message', () => {
    const key = { woId: '1001', operId: '10', seqNo: 0 };
    const started = refusedTransition(key, JobState.Completed, JobState.Running, 'Start');
    expect(started.code).toBe('BUSINESS_RULE');
    expect(started.detail).toBe('Job 1001-10-0 is Completed and cannot be started.');
    expect(refusedTransition(key, JobState.New, JobState.Completed, 'End').detail).toBe(
      'Job 1001-10-0 is New and cannot be ended.',
    );
    expect(refusedTransition(key, JobState.Ready, JobState.Suspended, 'Pause').detail).toBe(
      'Job 1001-10-0 is Ready and cannot be paused.',
    );
    expect(refusedTransition(key, JobState.Running, JobState.Canceled, 'ChangeState').detail).toBe(
      'Job 1001-10-0 cannot change from Running to Canceled.',
    );
    expect(refusedTransition(key, JobState.Ready, JobState.Ready, 'ChangeState').detail).toBe(
      'Job 1001-10-0 is already Ready.',
    );
  });
});
