import { InitialSchema1730000000000 } from './1730000000000-initial-schema';
import { DemoSeed1730000000001 } from './1730000000001-demo-seed';
import { DocumentedItemColumns1730000000002 } from './1730000000002-documented-item-columns';
import { DirectAccessPrivilege1730000000003 } from './1730000000003-direct-access-privilege';
import { IdempotencyKeys1730000000004 } from './1730000000004-idempotency-keys';
import { OsGroupDemo1730000000005 } from './1730000000005-os-group-demo';

/** Every migration, in order (explicit classes, no globs). */
export const MES_MIGRATIONS = [
  InitialSchema1730000000000,
  DemoSeed1730000000001,
  DocumentedItemColumns1730000000002,
  DirectAccessPrivilege1730000000003,
  IdempotencyKeys1730000000004,
  OsGroupDemo1730000000005,
];
