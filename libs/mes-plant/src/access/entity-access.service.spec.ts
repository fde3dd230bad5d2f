import { DbContext, MesCaller, MesError, MesErrorCode } from '@mes-web-api/common';
import { MesUsersService } from '@mes-web-api/mes-users';
import { ENTITY_ACCESS_TTL_MS, EntityAccessService } from './entity-access.service';

const U1: MesCaller = Object.freeze({ userId: 'u1' });

/** A strict stand-in for MesUsersService: only the two methods the access service may call. */
function usersStub() {
  const accessibleEntityIds = jest.fn<Promise<Set<number>>, [MesCaller, DbContext?]>();
  const canAccessEntity = jest
    .fn<Promise<boolean>, [MesCaller, number, DbContext?]>()
    .mockResolvedValue(false);
  const users = Object.freeze({
    accessibleEntityIds,
    canAccessEntity,
  }) as unknown as MesUsersService;
  return { users, accessibleEntityIds, canAccessEntity };
}

describe('EntityAccessService', () => {
  it('answers from one query per user while the entry is fresh', async () => {
    const { users, accessibleEntityIds } = usersStub();
    accessibleEntityIds.mockResolvedValue(new Set([3, 4]));
    const access = new EntityAccessService(users);
    expect(await access.canAccess(U1, 3)).toBe(true);
    expect(await access.canAccess(U1, 8)).toBe(false);
    expect(await access.canAccess(U1, 4)).toBe(true);
    expect(accessibleEntityIds).toHaveBeenCalledTimes(1);
    expect(accessibleEntityIds).toHaveBeenCalledWith(U1);
  });

  it('confirms a denial with one uncached query; a grant found that way reloads the set', async () => {
    const { users, accessibleEntityIds, canAccessEntity } = usersStub();
    accessibleEntityIds.mockResolvedValueOnce(new Set([3])).mockResolvedValueOnce(new Set([3, 9]));
    canAccessEntity.mockImplementation((_caller, entId) => Promise.resolve(entId === 9));
    const access = new EntityAccessService(users);
    expect(await access.canAccess(U1, 8)).toBe(false);
    expect(canAccessEntity).toHaveBeenLastCalledWith(U1, 8);
    expect(await access.canAccess(U1, 9)).toBe(true);
    expect(await access.canAccess(U1, 9)).toBe(true);
    expect(accessibleEntityIds).toHaveBeenCalledTimes(2);
    expect(canAccessEntity).toHaveBeenCalledTimes(2);
  });

  it('coalesces concurrent loads of one user', async () => {
    const { users, accessibleEntityIds } = usersStub();
    let release!: (ids: Set<number>) => void;
    accessibleEntityIds.mockReturnValue(new Promise((done) => (release = done)));
    const access = new EntityAccessService(users);
    const answers = Promise.all([access.canAccess(U1, 1), access.canAccess(U1, 2)]);
    release(new Set([2]));
    await expect(answers).resolves.toEqual([false, true]);
    expect(accessibleEntityIds).toHaveBeenCalledTimes(1);
  });

  it('reloads after the TTL and after invalidate()', async () => {
    const { users, accessibleEntityIds } = usersStub();
    accessibleEntityIds
      .mockResolvedValueOnce(new Set([1]))
      .mockResolvedValueOnce(new Set([2]))
      .mockResolvedValueOnce(new Set([3]));
    const access = new EntityAccessService(users);
    const t0 = 1_000_000;
    const now = jest.spyOn(Date, 'now').mockReturnValue(t0);
    try {
      await expect(access.accessibleEntityIds(U1)).resolves.toEqual(new Set([1]));
      now.mockReturnValue(t0 + ENTITY_ACCESS_TTL_MS - 1);
      await expect(access.accessibleEntityIds(U1)).resolves.toEqual(new Set([1]));
      now.mockReturnValue(t0 + ENTITY_ACCESS_TTL_MS);
      await expect(access.accessibleEntityIds(U1)).resolves.toEqual(new Set([2]));
      access.invalidate();
      expect(await access.canAccess(U1, 3)).toBe(true);
      expect(accessibleEntityIds).toHaveBeenCalledTimes(3);
    } finally {
      now.mockRestore();
    }
  });

  it('inside an MES transaction asks the transaction every time and keeps nothing', async () => {
    const { users, accessibleEntityIds, canAccessEntity } = usersStub();
    accessibleEntityIds.mockResolvedValue(new Set([5]));
    canAccessEntity.mockResolvedValue(true);
    const access = new EntityAccessService(users);
    const tx = { inTransaction: true } as DbContext;
    expect(await access.canAccess(U1, 9, tx)).toBe(true);
    expect(await access.canAccess(U1, 9, tx)).toBe(true);
    expect(canAccessEntity).toHaveBeenCalledTimes(2);
    expect(canAccessEntity).toHaveBeenLastCalledWith(U1, 9, tx);
    await expect(access.accessibleEntityIds(U1, tx)).resolves.toEqual(new Set([5]));
    expect(accessibleEntityIds).toHaveBeenLastCalledWith(U1, tx);
    // Nothing was kept for calls outside the transaction.
    await access.canAccess(U1, 5);
    expect(accessibleEntityIds).toHaveBeenLastCalledWith(U1);
  });

  it('does not keep a failed load', async () => {
    const { users, accessibleEntityIds } = usersStub();
    accessibleEntityIds
      .mockRejectedValueOnce(new Error('database down'))
      .mockResolvedValueOnce(new Set([7]));
    const access = new EntityAccessService(users);
    await expect(access.canAccess(U1, 7)).rejects.toThrow('database down');
    expect(await access.canAccess(U1, 7)).toBe(true);
  });

  it('assertCanAccess throws the MES access message as a 404 error', async () => {
    const { users, accessibleEntityIds } = usersStub();
    accessibleEntityIds.mockResolvedValue(new Set([1]));
    const access = new EntityAccessService(users);
    await expect(access.assertCanAccess(U1, 1)).resolves.toBeUndefined();
    const error = await access.assertCanAccess(U1, 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MesError);
    expect(error).toMatchObject({
      code: MesErrorCode.EntityAccessDenied,
      detail: 'You do not have the appropriate privileges to access this entity',
    });
  });

  it('OS Group mode: answers are kept per set of groups, apart from user ids', async () => {
    const { users, accessibleEntityIds } = usersStub();
    accessibleEntityIds.mockImplementation((caller) =>
      Promise.resolve(new Set(caller.groups?.includes(3) ? [5] : caller.groups ? [8] : [1])),
    );
    const access = new EntityAccessService(users);
    const operators: MesCaller = { userId: 'mes\\adoperator', groups: Object.freeze([3]) };
    const sameGroups: MesCaller = { userId: 'mes\\adnewcomer', groups: Object.freeze([3]) };
    const others: MesCaller = { userId: 'mes\\adoperator', groups: Object.freeze([4]) };
    const named: MesCaller = { userId: '[3]' }; // a user id spelled like a group key
    await expect(access.accessibleEntityIds(operators)).resolves.toEqual(new Set([5]));
    await expect(access.accessibleEntityIds(sameGroups)).resolves.toEqual(new Set([5]));
    expect(accessibleEntityIds).toHaveBeenCalledTimes(1); // same groups, one answer
    await expect(access.accessibleEntityIds(others)).resolves.toEqual(new Set([8]));
    await expect(access.accessibleEntityIds(named)).resolves.toEqual(new Set([1]));
    expect(accessibleEntityIds).toHaveBeenCalledTimes(3);
    expect(await access.canAccess(operators, 5)).toBe(true);
    expect(await access.canAccess(others, 5)).toBe(false);
  });
});
