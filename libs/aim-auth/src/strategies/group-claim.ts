import { AimTokenClaims } from '../token/aim-token-verifier';

/** The AD group SIDs a user token carries, in canonical form. */
export interface GroupSids {
  /** Sorted, unique, upper-case `S-1-…` strings. */
  readonly sids: readonly string[];
  /** The set as one string (its JSON text): the key of caches that answer per set of SIDs. */
  readonly key: string;
}

/**
 * A security identifier: `S-1-`, the identifier authority, then up to 15 sub-authorities (at most
 * 184 characters). Other values of the claim (roles such as `identitymanager.admin`) are not SIDs
 * and are left out.
 */
const SID = /^S-1-\d{1,15}(?:-\d{1,10}){0,15}$/i;

/**
 * The group SIDs of `claims[claim]` (a string or an array of strings; AIM sends an array of the
 * user's group SIDs next to non-SID roles), or `undefined` when the token has no such claim (or
 * it is neither a string nor an array). A claim without any SID gives an empty set.
 */
export function groupSidsOf(claims: AimTokenClaims, claim: string): GroupSids | undefined {
  const raw: unknown = claims[claim];
  const values: readonly unknown[] | undefined =
    typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : undefined;
  if (values === undefined) return undefined;
  const sids = new Set<string>();
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const sid = value.trim();
    if (SID.test(sid)) sids.add(sid.toUpperCase());
  }
  const sorted = Object.freeze([...sids].sort());
  return Object.freeze({ sids: sorted, key: JSON.stringify(sorted) });
}
