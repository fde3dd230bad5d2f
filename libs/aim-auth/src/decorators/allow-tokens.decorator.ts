import { CustomDecorator, SetMetadata } from '@nestjs/common';
import { AIM_TOKEN_KINDS } from '../aim-auth.constants';
import { AimTokenKind } from '../interfaces/aim-route-access.interface';

/**
 * Only these kinds of token may call the route (or controller; the handler's setting wins).
 * Another kind of valid token gets 403 `TOKEN_KIND_NOT_ALLOWED`. Checked by the aim-auth guards.
 */
export const AllowTokens = (...kinds: [AimTokenKind, ...AimTokenKind[]]): CustomDecorator<string> =>
  SetMetadata(AIM_TOKEN_KINDS, Object.freeze([...new Set(kinds)]));

/** Only a person's access token; a service (client-credentials) token gets 403. */
export const UserTokensOnly = (): CustomDecorator<string> => AllowTokens('user');

/** Only a service (client-credentials) token; a user token gets 403. */
export const ServiceTokensOnly = (): CustomDecorator<string> => AllowTokens('service');
