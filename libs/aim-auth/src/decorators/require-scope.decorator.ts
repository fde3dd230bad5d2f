import { CustomDecorator, SetMetadata } from '@nestjs/common';
import { AIM_REQUIRED_SCOPES } from '../aim-auth.constants';

/**
 * The access token must carry every one of these scopes (`scope` as a space-separated string or
 * an array, or `scp`); else 403 `SCOPE_MISSING` with an `insufficient_scope` challenge. On a
 * controller and a handler, both lists apply. Checked by the aim-auth guards.
 */
export const RequireScope = (scope: string, ...more: string[]): CustomDecorator<string> => {
  const scopes = [scope, ...more];
  for (const s of scopes) {
    if (typeof s !== 'string' || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s)) {
      throw new TypeError(`@RequireScope: ${JSON.stringify(s)} is not a scope name.`);
    }
  }
  return SetMetadata(AIM_REQUIRED_SCOPES, Object.freeze(scopes));
};
