import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  AIM_PUBLIC_ROUTE,
  AIM_REQUIRED_PRIVILEGES,
  AIM_REQUIRED_SCOPES,
  AIM_TOKEN_KINDS,
} from '../aim-auth.constants';
import { AimPrivilegeRequirement, AimTokenKind } from '../interfaces/aim-route-access.interface';

/** What a route asks of an accepted token, beyond being valid. */
export interface RouteAccess {
  readonly tokens?: readonly AimTokenKind[];
  readonly scopes: readonly string[];
  readonly privileges: readonly AimPrivilegeRequirement[];
}

/** A route's auth metadata: public, or the access it needs (`undefined`: any accepted token). */
export interface RouteAuth {
  readonly isPublic: boolean;
  readonly access?: RouteAccess;
}

const reflector = new Reflector();

/** Remembered per handler and class: metadata is fixed once the app has started. */
const routes = new WeakMap<object, { controller: object; auth: RouteAuth }>();

function read(context: ExecutionContext): RouteAuth {
  const targets = [context.getHandler(), context.getClass()];
  const isPublic =
    reflector.getAllAndOverride<boolean | undefined>(AIM_PUBLIC_ROUTE, targets) === true;
  const tokens = reflector.getAllAndOverride<readonly AimTokenKind[] | undefined>(
    AIM_TOKEN_KINDS,
    targets,
  );
  const scopes = [
    ...new Set(reflector.getAllAndMerge<string[]>(AIM_REQUIRED_SCOPES, targets) ?? []),
  ];
  const privileges =
    reflector.getAllAndMerge<AimPrivilegeRequirement[]>(AIM_REQUIRED_PRIVILEGES, targets) ?? [];
  const access =
    tokens === undefined && scopes.length === 0 && privileges.length === 0
      ? undefined
      : Object.freeze({ tokens, scopes, privileges });
  return Object.freeze({ isPublic, access });
}

/** `@Public()` and the access decorators of the handler and its class. */
export function routeAuthOf(context: ExecutionContext): RouteAuth {
  const handler = context.getHandler();
  const controller = context.getClass();
  const known = routes.get(handler);
  if (known !== undefined && known.controller === controller) return known.auth;
  const auth = read(context);
  routes.set(handler, { controller, auth });
  return auth;
}
