import { createHash, timingSafeEqual } from 'node:crypto';
import { ADMIN_PRINCIPAL, amlSenderPrincipal, API_PRINCIPAL, METRICS_PRINCIPAL, operatorPrincipal, type Principal, SUPERVISOR_PRINCIPAL } from './principal.js';

/** The bearer tokens siaga112 is configured with (all secrets). */
export interface CredentialTokens {
  apiToken: string;
  supervisorToken: string;
  adminToken: string;
  /** Each operator's own token, by operator id. */
  operatorTokens: Record<string, string>;
  /** Each AML gateway's own token, by sender name. */
  amlSenderTokens?: Record<string, string>;
  /** The Prometheus scraper's token; none: only loopback scrapes, when allowed, read the metrics. */
  metricsToken?: string;
  /**
   * Tokens kept in the database as SHA-256 digests (agencies'): asked only when no configured
   * token matched. A digest lookup reveals nothing a timing could use: the attacker does not
   * know the digest of the token they would need.
   */
  stored?: (digestHex: string) => Principal | null;
}

/** Who a presented bearer token belongs to, or null for a token nobody has. */
export type ResolveCredential = (presented: string) => Principal | null;

/**
 * Builds the resolver for the configured tokens. A presented token is compared in constant time
 * against every known one, hashed first so that neither its content nor its length shows in the
 * timing. Two principals with the same token would make every request with it ambiguous, so
 * that configuration is refused here (naming the principals, never the token).
 */
export function credentialResolver(tokens: CredentialTokens): ResolveCredential {
  const known: Array<{ principal: Principal; digest: Buffer }> = [
    { principal: API_PRINCIPAL, digest: sha256(tokens.apiToken) },
    { principal: SUPERVISOR_PRINCIPAL, digest: sha256(tokens.supervisorToken) },
    { principal: ADMIN_PRINCIPAL, digest: sha256(tokens.adminToken) },
    ...Object.entries(tokens.operatorTokens).map(([operatorId, token]) => ({ principal: operatorPrincipal(operatorId), digest: sha256(token) })),
    ...Object.entries(tokens.amlSenderTokens ?? {}).map(([senderId, token]) => ({ principal: amlSenderPrincipal(senderId), digest: sha256(token) })),
    ...(tokens.metricsToken === undefined ? [] : [{ principal: METRICS_PRINCIPAL, digest: sha256(tokens.metricsToken) }]),
  ];
  for (const [index, entry] of known.entries()) {
    const twin = known.slice(index + 1).find((other) => other.digest.equals(entry.digest));
    if (twin) throw new Error(`${label(entry.principal)} and ${label(twin.principal)} have the same token; give each its own`);
  }
  return (presented) => {
    const digest = sha256(presented);
    let match: Principal | null = null;
    // No early exit: every request costs the same comparisons, whoever it turns out to be.
    for (const entry of known) if (timingSafeEqual(entry.digest, digest)) match = entry.principal;
    return match ?? tokens.stored?.(digest.toString('hex')) ?? null;
  };
}

function label(principal: Principal): string {
  return `${principal.kind} ${principal.id}`;
}

/** The digest a stored token is kept as (hex). */
export function tokenDigest(token: string): string {
  return sha256(token).toString('hex');
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
