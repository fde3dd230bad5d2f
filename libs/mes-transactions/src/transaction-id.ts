import { createHash, randomBytes } from 'node:crypto';

/** Bytes 4-5 of every transaction id this API issues ("ME"), next to the UUID version 8 mark. */
const MARK = [0x4d, 0x45] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The 4 bytes that name an API instance inside its transaction ids. */
export function instanceTag(instanceId: string): Buffer {
  return createHash('sha256').update(instanceId).digest().subarray(0, 4);
}

/**
 * A new transaction id: a GUID as documented (`c1bec0bd-ce03-4b2c-89e2-8573f11c6d5a`), laid out as
 * an RFC 9562 version 8 UUID: bytes 0-3 name the instance that opened it, bytes 4-5 mark it as
 * ours, the rest (62 bits) is random.
 */
export function newTransactionId(tag: Buffer): string {
  const bytes = randomBytes(16);
  tag.copy(bytes, 0, 0, 4);
  bytes[4] = MARK[0];
  bytes[5] = MARK[1];
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What an id given as `trans_id` is. */
export type TransactionIdKind =
  /** Issued by this instance (it may still have ended). */
  | { kind: 'ours'; id: string }
  /** Issued by another instance of this API: the call reached the wrong instance. */
  | { kind: 'elsewhere'; id: string; instance: string }
  /** Not an id this API issues (any other GUID, any other text). */
  | { kind: 'foreign' };

export function classifyTransactionId(value: string, tag: Buffer): TransactionIdKind {
  const id = value.trim().toLowerCase();
  if (!UUID.test(id)) return { kind: 'foreign' };
  const hex = id.replace(/-/g, '');
  const version = hex[12];
  const mark = hex.slice(8, 12);
  if (version !== '8' || mark !== '4d45') return { kind: 'foreign' };
  const instance = hex.slice(0, 8);
  return instance === tag.toString('hex')
    ? { kind: 'ours', id }
    : { kind: 'elsewhere', id, instance };
}
