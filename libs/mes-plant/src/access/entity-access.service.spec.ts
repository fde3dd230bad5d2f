import { DbContext, MesError, MesErrorCode } from '@mes-web-api/common';
import { MesUsersService } from '@mes-web-api/mes-users';
import { ENTITY_ACCESS_TTL_MS, EntityAccessService } from './entity-access.service';

/** A strict stand-in for MesUsersService: only the two methods the access service may call. */
function usersStub() {
  const accessibleEntityIds = jest.fn<Promise<Set<number>>, [string, DbContext?]>();
  const canAccessEntity = jest
    .fn<Promise<boolean>, [string, number, DbContext?]>()
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
    await expect(access.canAccess('u1', 3)).resolves.toBe(true);
    await expect(access.canAccess('u1', 8)).resolves.toBe(false);
    await expect(access.canAccess('u1', 4)).resolves.toBe(true);
    expect(accessibleEntityIds).toHaveBeenCalledTimes(1);
    expect(accessibleEntityIds).toHaveBeenCalledWith('u1');
  });

  it('confirms a denial with one uncached query; a grant found that way reloads the set', async () => {
    const { users, accessibleEntityIds, canAccessEntity } = usersStub();
    accessibleEntityIds.mockResolvedValueOnce(new Set([3])).mockResolvedValueOnce(new Set([3, 9]));
    canAccessEntity.mockImplementation((_userId, entId) => Promise.resolve(entId === 9));
    const access = new EntityAccessService(users);
    await expect(access.canAccess('u1', 8)).resolves.toBe(false);
    expect(canAccessEntity).toHaveBeenLastCalledWith('u1', 8);
    await expect(access.canAccess('u1', 9)).resolves.toBe(true);
    await expect(access.canAccess('u1', 9)).resolves.toBe(true);
    expect(accessibleEntityIds).toHaveBeenCalledTimes(2);
    expect(canAccessEntity).toHaveBeenCalledTimes(2);
  });

  it('coalesces concurrent loads of one user', async () => {
    const { users, accessibleEntityIds } = usersStub();
    let release!: (ids: Set<number>) => void;
    accessibleEntityIds.mockReturnValue(new Promise((done) => (release = done)));
    const access = new EntityAccessService(users);
    const answers = Promise.all([access.canAccess('u1', 1), access.canAccess('u1', 2)]);
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
      await expect(access.accessibleEntityIds('u1')).resolves.toEqual(new Set([1]));
      now.mockReturnValue(t0 + ENTITY_ACCESS_TTL_MS - 1);
      await expect(access.accessibleEntityIds('u1')).resolves.toEqual(new Set([1]));
      now.mockReturnValue(t0 + ENTITY_ACCESS_TTL_MS);
      await expect(access.accessibleEntityIds('u1')).resolves.toEqual(new Set([2]));
      access.invalidate();
      await expect(access.canAccess('u1', 3)).resolves.toBe(true);
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
    await expect(access.canAccess('u1', 9, tx)).resolves.toBe(true);
    await expect(access.canAccess('u1', 9, tx)).resolves.toBe(true);
    expect(canAccessEntity).toHaveBeenCalledTimes(2);
    expect(canAccessEntity).toHaveBeenLastCalledWith('u1', 9, tx);
    await expect(access.accessibleEntityIds('u1', tx)).resolves.toEqual(new Set([5]));
    expect(accessibleEntityIds).toHaveBeenLastCalledWith('u1', tx);
    // Nothing was kept for calls outside the transaction.
    await access.canAccess('u1', 5);
    expect(accessibleEntityIds).toHaveBeenLastCalledWith('u1');
  });

  it('does not keep a failed load', async () => {
    const { users, accessibleEntityIds } = usersStub();
    accessibleEntityIds
      .mockRejectedValueOnce(new Error('database down'))
      .mockResolvedValueOnce(new Set([7]));
    const access = new EntityAccessService(users);
    await expect(access.canAccess('u1', 7)).rejects.toThrow('database down');
    await expect(access.canAccess('u1', 7)).resolves.toBe(true);
  });

  it('assertCanAccess throws the MES access message as a 404 error', async () => {
    const { users, accessibleEntityIds } = usersStub();
    accessibleEntityIds.mockResolvedValue(new Set([1]));
    const access = new EntityAccessService(users);
    await expect(access.assertCanAccess('u1', 1)).resolves.toBeUndefined();
    const error = await access.assertCanAccess('u1', 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MesError);
    expect(error).toMatchObject({
      code: MesErrorCode.EntityAccessDenied,
      detail: 'You do not have the appropriate privileges to access this entity',
    });
  });
});
