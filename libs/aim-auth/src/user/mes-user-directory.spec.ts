import { MesUsersService } from '@mes-web-api/mes-users';
import { AimUserLookup, AimUserStatus, MesUserLookup } from './aim-user-lookup';
import { MesUserDirectory } from './mes-user-directory';

describe('MesUserDirectory', () => {
  let active: Set<string>;
  let known: Set<string>;
  let reads: number;
  let failNext: boolean;
  let creates: number;
  let directory: MesUserDirectory;

  beforeEach(() => {
    jest.useFakeTimers({ now: Date.UTC(2026, 0, 1), doNotFake: ['nextTick', 'setImmediate'] });
    active = new Set(['mes\\operator']);
    known = new Set(['mes\\operator', 'mes\\former']);
    reads = 0;
    failNext = false;
    creates = 0;
    const users = {
      findActiveUser: (id: string) => {
        reads += 1;
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('SQLITE_BUSY'));
        }
        return Promise.resolve(active.has(id) ? { userId: id } : null);
      },
      findUser: (id: string) => Promise.resolve(known.has(id) ? { userId: id } : null),
      createGroupUser: async (id: string) => {
        creates += 1;
        await new Promise((done) => setImmediate(done));
        if (known.has(id)) return false;
        known.add(id);
        active.add(id);
        return true;
      },
    };
    directory = new MesUserDirectory(new MesUserLookup(users as unknown as MesUsersService), {
      userCacheTtlMs: 30_000,
    });
  });

  afterEach(() => jest.useRealTimers());

  it('knownStatus() answers only what status() has cached and finished', async () => {
    expect(directory.knownStatus('mes\\operator')).toBeUndefined(); // never looked up
    const pending = directory.status('mes\\operator');
    expect(directory.knownStatus('mes\\operator')).toBeUndefined(); // still looking
    await expect(pending).resolves.toBe('active');
    expect(directory.knownStatus('mes\\operator')).toBe('active');
    await expect(directory.status('mes\\former')).resolves.toBe('inactive');
    expect(directory.knownStatus('mes\\former')).toBe('inactive');
    await expect(directory.status('corp\\stranger')).resolves.toBe('unknown');
    expect(directory.knownStatus('corp\\stranger')).toBe('unknown');
    expect(reads).toBe(3);
  });

  it('knownStatus() forgets with the cache: after the TTL the next status() reads again', async () => {
    await directory.status('mes\\operator');
    active.delete('mes\\operator'); // deactivated in MES
    jest.advanceTimersByTime(29_999);
    expect(directory.knownStatus('mes\\operator')).toBe('active');
    jest.advanceTimersByTime(1);
    expect(directory.knownStatus('mes\\operator')).toBeUndefined();
    await expect(directory.status('mes\\operator')).resolves.toBe('inactive');
    expect(directory.knownStatus('mes\\operator')).toBe('inactive');
  });

  it('a failed lookup is not cached, so knownStatus() stays undefined', async () => {
    failNext = true;
    await expect(directory.status('mes\\operator')).rejects.toThrow('SQLITE_BUSY');
    await Promise.resolve();
    expect(directory.knownStatus('mes\\operator')).toBeUndefined();
    await expect(directory.status('mes\\operator')).resolves.toBe('active');
    expect(reads).toBe(2);
  });

  it('an id no MES user can have is unknown without a lookup', async () => {
    expect(directory.knownStatus('')).toBe('unknown');
    expect(directory.knownStatus('x'.repeat(41))).toBe('unknown');
    await expect(directory.status('x'.repeat(41))).resolves.toBe('unknown');
    expect(reads).toBe(0);
  });

  it('asks a replacement lookup, caches its answers, and refuses an answer it does not know', async () => {
    const asked: string[] = [];
    class DirectoryUsers extends AimUserLookup {
      status(userId: string): Promise<AimUserStatus> {
        asked.push(userId);
        if (userId === 'broken') return Promise.resolve('yes' as AimUserStatus);
        return Promise.resolve(userId.endsWith('@corp.example') ? 'active' : 'unknown');
      }
    }
    const custom = new MesUserDirectory(new DirectoryUsers(), { userCacheTtlMs: 30_000 });
    const long = `${'x'.repeat(60)}@corp.example`; // longer than any MES user id: still asked
    await expect(custom.status(long)).resolves.toBe('active');
    await expect(custom.status(long)).resolves.toBe('active');
    expect(custom.knownStatus(long)).toBe('active');
    await expect(custom.status('mes\\operator')).resolves.toBe('unknown');
    await expect(custom.status('broken')).rejects.toThrow('expected active, inactive or unknown');
    expect(custom.knownStatus('broken')).toBeUndefined();
    expect(asked).toEqual([long, 'mes\\operator', 'broken']);
  });

  it('provision() creates a user once for concurrent first calls, then answers it as active', async () => {
    await expect(directory.status('mes\\adnewcomer')).resolves.toBe('unknown');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => directory.provision('mes\\adnewcomer')),
    );
    expect(answers).toEqual(Array.from({ length: 20 }, () => 'active'));
    expect(creates).toBe(1);
    expect(directory.knownStatus('mes\\adnewcomer')).toBe('active'); // the cached 'unknown' is replaced
    await expect(directory.status('mes\\adnewcomer')).resolves.toBe('active');
  });

  it('provision() of a user that exists (created elsewhere, or inactive) reads it', async () => {
    await expect(directory.provision('mes\\former')).resolves.toBe('inactive');
    await expect(directory.provision('mes\\operator')).resolves.toBe('active');
  });
});
