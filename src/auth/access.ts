import type { Principal, PrincipalKind } from './principal.js';

/**
 * Who may call a route, declared in its options (`config: { allow: [...] }`): the principal
 * kinds it serves, never none, or `'public'` for the few routes that hold nothing to protect.
 */
export type RouteAllowance = 'public' | AllowedKinds;

/** The principal kinds a guarded route serves: at least one. */
export type AllowedKinds = readonly [PrincipalKind, ...PrincipalKind[]];

/** What the request presented: nothing, a token nobody has, or a known principal. */
export type Presented = { kind: 'none' } | { kind: 'unknown' } | { kind: 'principal'; principal: Principal };

export type AccessDecision =
  | { allowed: true }
  | { allowed: false; status: 401; error: 'unauthorized'; message: string }
  | { allowed: false; status: 403; error: 'forbidden'; message: string };

/** Where a request came from, as far as access cares. */
export interface RequestOrigin {
  /**
   * The route lets tokenless requests from this host in (`config.loopbackWithoutToken`) and this
   * one came over the loopback interface.
   */
  tokenlessLoopback: boolean;
}

/**
 * Decides one request: 401 when the caller is not known (no token, or one nobody has: try
 * again with a token), 403 when the caller is known but of a kind the route does not serve
 * (another token would not help this caller). A route without an allowance is refused: the
 * registration check should have made that impossible, and a refusal is the safe way to fail.
 * A route may let requests without a token from this host in (a scraper beside siaga112); a
 * token that comes with one is still checked: a wrong token is refused wherever it comes from.
 */
export function decideAccess(allow: RouteAllowance | undefined, presented: Presented, origin: RequestOrigin = { tokenlessLoopback: false }): AccessDecision {
  if (allow === 'public') return { allowed: true };
  if (presented.kind === 'none' && origin.tokenlessLoopback && allow !== undefined) return { allowed: true };
  if (presented.kind === 'none') return { allowed: false, status: 401, error: 'unauthorized', message: 'missing authorization header' };
  if (presented.kind === 'unknown') return { allowed: false, status: 401, error: 'unauthorized', message: 'invalid authorization header' };
  const { principal } = presented;
  if (allow?.includes(principal.kind)) return { allowed: true };
  const servedKinds = allow ? allow.join(', ') : 'nobody';
  return { allowed: false, status: 403, error: 'forbidden', message: `this route is not for the ${principal.kind} token (it serves: ${servedKinds})` };
}
