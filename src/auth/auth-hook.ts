import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decideAccess, type Presented, type RouteAllowance } from './access.js';
import type { ResolveCredential } from './credentials.js';
import { type Principal, PrincipalKind } from './principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, resolved from the bearer token; null when no known token came with it. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Who may call the route; every route must say (see installAuth). */
    allow?: RouteAllowance;
    /** Requests from this host (127.0.0.1, ::1) may come without a token (GET /metrics, when configured so). */
    loopbackWithoutToken?: boolean;
  }
  interface FastifyInstance {
    /** Every route registered after installAuth, with who may call it. */
    readonly routeAccess: readonly RouteAccess[];
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  allow: RouteAllowance;
}

export interface AuthOptions {
  resolve: ResolveCredential;
  /**
   * Routes under these prefixes are public without saying so: plugins' routes whose options we
   * do not write (Swagger UI under /docs).
   */
  publicPrefixes: readonly string[];
}

const BEARER = 'Bearer ';

/**
 * The one place requests are authenticated and authorised. Installed on the root app before any
 * route, so that every route passes through it:
 * - at registration, a route that does not declare `config.allow` (or declares nobody) throws,
 *   so a forgotten declaration stops the start-up instead of opening a route;
 * - on each request, the bearer token is resolved to `request.principal` and checked against the
 *   route's allowance, before the body is parsed or validated (401 unknown caller, 403 wrong kind).
 */
export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  const routeAccess: RouteAccess[] = [];
  app.decorate('routeAccess', routeAccess);
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.config?.allow === undefined && options.publicPrefixes.some((prefix) => route.url.startsWith(prefix))) {
      route.config = { ...route.config, allow: 'public' };
    }
    const allow = route.config?.allow;
    if (allow === undefined || allow.length === 0) {
      throw new Error(`${methods.join(',')} ${route.url} does not say who may call it: add config.allow to its route options`);
    }
    for (const method of methods) routeAccess.push({ method, url: route.url, allow });
  });

  app.addHook('onRequest', async (request, reply) => {
    const presented = presentedCredential(request, options.resolve);
    request.principal = presented.kind === 'principal' ? presented.principal : null;
    // No route matched: the 404 handler answers, and it says nothing the OpenAPI document does not.
    if (request.is404) return;
    const { allow, loopbackWithoutToken } = request.routeOptions.config;
    const decision = decideAccess(allow, presented, { tokenlessLoopback: loopbackWithoutToken === true && isLoopback(request.socket.remoteAddress) });
    if (decision.allowed) return;
    request.log.info({ status: decision.status, principal: request.principal }, 'request refused');
    return reply.status(decision.status).send({ error: decision.error, message: decision.message });
  });
}

/**
 * Whether the peer that connected is this host. The socket's address, never request.ip: with a
 * proxy trusted one day, X-Forwarded-For would let anyone claim to be 127.0.0.1.
 */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function presentedCredential(request: FastifyRequest, resolve: ResolveCredential): Presented {
  const header = request.headers.authorization;
  if (!header) return { kind: 'none' };
  if (!header.startsWith(BEARER)) return { kind: 'unknown' };
  const principal = resolve(header.slice(BEARER.length).trim());
  return principal ? { kind: 'principal', principal } : { kind: 'unknown' };
}

/** The principal of a request on a guarded route (the hook refused it otherwise). */
export function principalOf(request: FastifyRequest): Principal {
  // Reached only from a public route that wrongly reads a caller: a wiring bug, hence a 500.
  if (!request.principal) throw new Error(`${request.method} ${request.url} reads a principal but is public`);
  return request.principal;
}

/** The operator calling an operator-only route. */
export function operatorIdOf(request: FastifyRequest): string {
  const principal = principalOf(request);
  // The route's allowance admits operators only; anything else here is a wiring bug.
  if (principal.kind !== PrincipalKind.operator) throw new Error(`${request.method} ${request.url} is for operators but admits ${principal.kind}`);
  return principal.id;
}
