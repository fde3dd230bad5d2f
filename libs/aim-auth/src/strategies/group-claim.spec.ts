import { groupSidsOf } from './group-claim';

const OPERATORS = 'S-1-5-21-3623811015-3361044348-30300820-1101';
const USERS = 'S-1-5-21-3623811015-3361044348-30300820-513';

describe('groupSidsOf', () => {
  it('takes the SIDs of an array claim, leaving out roles that are not SIDs', () => {
    const sids = groupSidsOf({ role: [OPERATORS, 'identitymanager.admin', USERS] }, 'role');
    expect(sids?.sids).toEqual([USERS, OPERATORS].sort());
    expect(sids?.key).toBe(JSON.stringify([USERS, OPERATORS].sort()));
    expect(Object.isFrozen(sids)).toBe(true);
    expect(Object.isFrozen(sids?.sids)).toBe(true);
  });

  it('accepts a single string (a user in one group)', () => {
    expect(groupSidsOf({ role: OPERATORS }, 'role')?.sids).toEqual([OPERATORS]);
  });

  it('canonical: trimmed, upper case, unique, sorted, so the same groups give the same key', () => {
    const a = groupSidsOf({ role: [USERS, OPERATORS] }, 'role');
    const b = groupSidsOf({ role: [` ${OPERATORS.toLowerCase()}`, USERS, OPERATORS] }, 'role');
    expect(b?.sids).toEqual(a?.sids);
    expect(b?.key).toBe(a?.key);
  });

  it('reads the configured claim', () => {
    expect(groupSidsOf({ groups: [OPERATORS], role: [USERS] }, 'groups')?.sids).toEqual([
      OPERATORS,
    ]);
  });

  it('a token without the claim (or with a claim of another type) has no group SIDs', () => {
    expect(groupSidsOf({ sub: 'mes\\adoperator' }, 'role')).toBeUndefined();
    expect(groupSidsOf({ role: 42 }, 'role')).toBeUndefined();
    expect(groupSidsOf({ role: { sid: OPERATORS } }, 'role')).toBeUndefined();
    expect(groupSidsOf({ role: null }, 'role')).toBeUndefined();
  });

  it('a claim with no SID in it gives an empty set', () => {
    expect(groupSidsOf({ role: ['identitymanager.admin', 7, 'S-1-', 'S-1-5-x'] }, 'role')).toEqual({
      sids: [],
      key: '[]',
    });
    expect(groupSidsOf({ role: [] }, 'role')?.sids).toEqual([]);
  });
});
