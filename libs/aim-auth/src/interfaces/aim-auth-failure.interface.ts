import { MesError } from '@mes-web-api/common';

/**
 * What a strategy reports through passport's `fail()` when a request is not its business:
 * `missing` (no bearer token at all) or `wrong-kind` (a valid token of the other kind).
 * The guard throws `error` when no strategy accepted the request.
 */
export interface AimAuthFailure {
  readonly reason: 'missing' | 'wrong-kind';
  readonly error: MesError;
}

export function isAimAuthFailure(value: unknown): value is AimAuthFailure {
  return (
    typeof value === 'object' &&
    value !== null &&
    'reason' in value &&
    'error' in value &&
    ((value as AimAuthFailure).reason === 'missing' ||
      (value as AimAuthFailure).reason === 'wrong-kind')
  );
}
