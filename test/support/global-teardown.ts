// Jest globalTeardown of the e2e project: stops the development authority of global-setup.ts.
import type { DevAuthority } from './dev-authority';
import { GLOBAL_AUTHORITY_KEY } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const store = globalThis as Record<string, unknown>;
  const authority = store[GLOBAL_AUTHORITY_KEY] as DevAuthority | undefined;
  delete store[GLOBAL_AUTHORITY_KEY];
  await authority?.stop();
}
