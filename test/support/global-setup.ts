// Jest globalSetup of the e2e project: one development token authority for the whole run.
// Workers read its issuer from E2E_AIM_ISSUER (and its port from E2E_AIM_PORT); the handle
// stays in this (main) process for global-teardown.ts.
import { startDevAuthority, type DevAuthority } from './dev-authority';

export const GLOBAL_AUTHORITY_KEY = '__MES_E2E_DEV_AUTHORITY__';

export default async function globalSetup(): Promise<void> {
  const authority: DevAuthority = await startDevAuthority();
  (globalThis as Record<string, unknown>)[GLOBAL_AUTHORITY_KEY] = authority;
  process.env.E2E_AIM_ISSUER = authority.issuer;
  process.env.E2E_AIM_PORT = String(authority.port);
}
