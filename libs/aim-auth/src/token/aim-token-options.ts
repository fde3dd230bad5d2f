import { ASYMMETRIC_ALGORITHMS, DEFAULT_REALM } from '../aim-auth.constants';
import {
  AimTokenModuleOptions,
  ResolvedAimTokenOptions,
} from '../interfaces/aim-token-options.interface';
import { AimAuthConfigError } from './aim-auth-config.error';
import { isAcceptableAuthorityUrl } from './loopback';

const PREFIX = 'AimTokenModule:';

function nonNegative(
  name: string,
  value: number | undefined,
  fallback: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw new AimAuthConfigError(`${PREFIX} ${name} must be a number between 0 and ${max}.`);
  }
  return value;
}

function issuer(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new AimAuthConfigError(`${PREFIX} every authority must be an issuer URL string.`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AimAuthConfigError(
      `${PREFIX} authority ${JSON.stringify(raw)} is not a URL; set the issuer URL, e.g. https://sms1/identitymanager.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AimAuthConfigError(
      `${PREFIX} authority ${JSON.stringify(raw)} must be an https URL.`,
    );
  }
  if (!isAcceptableAuthorityUrl(url)) {
    throw new AimAuthConfigError(
      `${PREFIX} authority ${JSON.stringify(raw)} uses plain http; use https (http is allowed for loopback hosts only).`,
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new AimAuthConfigError(
      `${PREFIX} authority ${JSON.stringify(raw)} must not carry a query, fragment or credentials.`,
    );
  }
  // The issuer is compared exactly with the token's `iss`, so keep the configured spelling.
  return raw.trim();
}

function algorithm(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
  if (name === 'NONE' || name.startsWith('HS')) {
    throw new AimAuthConfigError(
      `${PREFIX} algorithm ${JSON.stringify(raw)} is never accepted (symmetric and unsigned tokens are refused); use some of ${ASYMMETRIC_ALGORITHMS.join(', ')}.`,
    );
  }
  const match = ASYMMETRIC_ALGORITHMS.find((a) => a === name);
  if (!match) {
    throw new AimAuthConfigError(
      `${PREFIX} unknown algorithm ${JSON.stringify(raw)}; use some of ${ASYMMETRIC_ALGORITHMS.join(', ')}.`,
    );
  }
  return match;
}

/** Validates the options and fills in defaults; throws AimAuthConfigError naming what to fix. */
export function resolveAimTokenOptions(options: AimTokenModuleOptions): ResolvedAimTokenOptions {
  if (!options || typeof options !== 'object') {
    throw new AimAuthConfigError(`${PREFIX} options are required (authorities, audiences).`);
  }
  const { authorities, audiences } = options;
  if (!Array.isArray(authorities) || authorities.length === 0) {
    throw new AimAuthConfigError(
      `${PREFIX} authorities is empty; set at least one trusted issuer URL (AIM_AUTHORITY), e.g. https://sms1/identitymanager.`,
    );
  }
  if (
    !Array.isArray(audiences) ||
    audiences.length === 0 ||
    audiences.some((a) => typeof a !== 'string' || a.trim() === '')
  ) {
    throw new AimAuthConfigError(
      `${PREFIX} audiences must list at least one non-empty audience (AIM_AUDIENCE), e.g. system.`,
    );
  }
  const algorithms = (options.algorithms ?? ['RS256']).map(algorithm);
  if (algorithms.length === 0) {
    throw new AimAuthConfigError(`${PREFIX} algorithms is empty; leave it unset for RS256.`);
  }
  const realm = options.realm ?? DEFAULT_REALM;
  if (typeof realm !== 'string' || !/^[\x20\x21\x23-\x5b\x5d-\x7e]+$/.test(realm)) {
    throw new AimAuthConfigError(
      `${PREFIX} realm must be printable ASCII without quotes or backslashes.`,
    );
  }
  return Object.freeze({
    authorities: Object.freeze([...new Set(authorities.map(issuer))]),
    audiences: Object.freeze(audiences.map((a) => a.trim())),
    algorithms: Object.freeze([...new Set(algorithms)]),
    clockSkewS: nonNegative('clockSkewS', options.clockSkewS, 60, 3600),
    memoTtlMs: nonNegative('memoTtlMs', options.memoTtlMs, 60_000, 86_400_000),
    memoMaxEntries: Math.floor(
      nonNegative('memoMaxEntries', options.memoMaxEntries, 10_000, 10_000_000),
    ),
    fetchTimeoutMs: nonNegative('fetchTimeoutMs', options.fetchTimeoutMs, 5_000, 120_000) || 5_000,
    jwksCooldownMs: nonNegative('jwksCooldownMs', options.jwksCooldownMs, 30_000, 86_400_000),
    jwksMaxAgeMs: nonNegative('jwksMaxAgeMs', options.jwksMaxAgeMs, 600_000, 86_400_000),
    failureBackoffMs: nonNegative('failureBackoffMs', options.failureBackoffMs, 2_000, 600_000),
    realm,
  });
}
