import { MesUsersService } from '@mes-web-api/mes-users';
import { groupSidsOf } from '../strategies/group-claim';
import { MesGroupDirectory } from './mes-group-directory';

const OPERATORS = 'S-1-5-21-1-2-3-1101';
const SUPERVISORS = 'S-1-5-21-1-2-3-1102';
const sidsOf = (...sids: string[]) => groupSidsOf({ role: sids }, 'role')!;

describe('MesGroupDirectory', () => {
  let mapping: Map<string, number>;
  let reads: number;
  let failNext: boolean;
  let release: (() => void) | undefined;
  let directory: MesGroupDirectory;

  beforeEach(() => {
    jest.useFakeTimers({ now: Date.UTC(2026, 0, 1), doNotFake: ['nextTick', 'setImmediate'] });
    mapping = new Map([
      [OPERATORS, 4],
      [SUPERVISORS, 3],
    ]);
    reads = 0;
    failNext = false;
    release = undefined;
    const users = Object.freeze({
      groupsWithSids: async (sids: readonly string[]) => {
        reads += 1;
        if (release === undefined) await Promise.resolve();
        else await new Promise<void>((done) => (release = done));
        if (failNext) {
          failNext = false;
          throw new Error('SQLITE_BUSY');
        }
        return sids
          .map((s) => mapping.get(s))
          .filter((g): g is number => g !== undefined)
          .sort((a, b) => a - b);
      },
    });
    directory = new MesGroupDirectory(
      { securityMode: 'os-group', userCacheTtlMs: 30_000 },
      users as unknown as MesUsersService,
    );
  });

  afterEach(() => jest.useRealTimers());

  it('answers the sorted MES groups of the SIDs; knownGroups() only once looked up', async () => {
    const sids = sidsOf(OPERATORS, 'identitymanager.admin', SUPERVISORS);
    expect(directory.knownGroups(sids)).toBeUndefined();
    const groups = await directory.groupsOf(sids);
    expect(groups).toEqual([3, 4]);
    expect(Object.isFrozen(groups)).toBe(true);
    expect(directory.knownGroups(sids)).toBe(groups); // the same array for every request
    await expect(directory.groupsOf(sidsOf(SUPERVISORS, OPERATORS))).resolves.toBe(groups);
    expect(reads).toBe(1);
  });

  it('concurrent lookups of one set of SIDs share one query', async () => {
    release = () => undefined;
    const sids = sidsOf(OPERATORS);
    const all = Promise.all(Array.from({ length: 20 }, () => directory.groupsOf(sids)));
    await Promise.resolve();
    release();
    expect(await all).toEqual(Array.from({ length: 20 }, () => [4]));
    expect(reads).toBe(1);
  });

  it('no match is cached too, and forgotten with the TTL (a group mapped later counts)', async () => {
    const sids = sidsOf('S-1-5-21-9-9-9-513');
    await expect(directory.groupsOf(sids)).resolves.toEqual([]);
    expect(directory.knownGroups(sids)).toEqual([]);
    mapping.set('S-1-5-21-9-9-9-513', 7);
    jest.advanceTimersByTime(30_000);
    expect(directory.knownGroups(sids)).toBeUndefined();
    await expect(directory.groupsOf(sids)).resolves.toEqual([7]);
    expect(reads).toBe(2);
  });

  it('an empty set of SIDs matches nothing without a query', async () => {
    const none = sidsOf('identitymanager.admin');
    expect(directory.knownGroups(none)).toEqual([]);
    await expect(directory.groupsOf(none)).resolves.toEqual([]);
    expect(reads).toBe(0);
  });

  it('a failed lookup is not cached', async () => {
    failNext = true;
    const sids = sidsOf(OPERATORS);
    await expect(directory.groupsOf(sids)).rejects.toThrow('SQLITE_BUSY');
    await Promise.resolve();
    expect(directory.knownGroups(sids)).toBeUndefined();
    await expect(directory.groupsOf(sids)).resolves.toEqual([4]);
  });

  it('sidsOf() parses the configured claim once per claims object', () => {
    const claims = Object.freeze({ role: [OPERATORS] });
    const first = directory.sidsOf(claims);
    expect(first?.sids).toEqual([OPERATORS]);
    expect(directory.sidsOf(claims)).toBe(first);
    expect(directory.sidsOf(Object.freeze({ sub: 'x' }))).toBeUndefined();
  });

  it('refuses OS Group mode without the MES tables (an app with its own user lookup)', () => {
    expect(() => new MesGroupDirectory({ securityMode: 'os-group' })).toThrow(
      /needs the MES tables/,
    );
    expect(() => new MesGroupDirectory({ securityMode: 'os-user' })).not.toThrow();
  });
});
