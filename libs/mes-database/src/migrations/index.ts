import { InitialSchema1730000000000 } from './1730000000000-initial-schema';
import { DemoSeed1730000000001 } from './1730000000001-demo-seed';

/** Every migration, in order (explicit classes, no globs). */
export const MES_MIGRATIONS = [InitialSchema1730000000000, DemoSeed1730000000001];
