import { z } from 'zod';

/**
 * Who can call the API. Each kind has its own bearer token today (one per operator, one shared
 * by the API clients, one by the supervisors, one by the admins); user accounts and browser
 * sessions will resolve to the same principals later.
 */
export const PrincipalKind = {
  api: 'api',
  operator: 'operator',
  supervisor: 'supervisor',
  admin: 'admin',
  /** An AML gateway (a mobile network's or an SMS aggregator's), each with its own token. */
  amlSender: 'aml-sender',
  /** An agency's own system (Damkar's dispatch desk…): sees and changes only its own dispatches. */
  agency: 'agency',
  /** The Prometheus scraper: reads GET /metrics (counts, never a caller's number) and nothing else. */
  metrics: 'metrics',
} as const;
export type PrincipalKind = (typeof PrincipalKind)[keyof typeof PrincipalKind];

export const principalKindSchema = z.enum(PrincipalKind);

/** The caller of a request: a kind, and who of that kind (the operator id for an operator). */
export const principalSchema = z.object({
  kind: principalKindSchema,
  id: z.string().min(1),
});
export type Principal = z.infer<typeof principalSchema>;

/**
 * The principals of the shared tokens. Their ids name the token, not a person: a supervisor
 * account will give each supervisor their own id without changing what audit rows look like.
 */
export const API_PRINCIPAL: Principal = { kind: PrincipalKind.api, id: 'api' };
export const SUPERVISOR_PRINCIPAL: Principal = { kind: PrincipalKind.supervisor, id: 'supervisor' };
export const ADMIN_PRINCIPAL: Principal = { kind: PrincipalKind.admin, id: 'admin' };
export const METRICS_PRINCIPAL: Principal = { kind: PrincipalKind.metrics, id: 'metrics' };

/** An operator's principal: their id is their operator id (a PJSIP endpoint). */
export function operatorPrincipal(operatorId: string): Principal {
  return principalSchema.parse({ kind: PrincipalKind.operator, id: operatorId });
}

/** An AML sender's principal: their id is the sender's configured name. */
export function amlSenderPrincipal(senderId: string): Principal {
  return principalSchema.parse({ kind: PrincipalKind.amlSender, id: senderId });
}

/** An agency's principal: their id is the agency id (e.g. damkar). */
export function agencyPrincipal(agencyId: string): Principal {
  return principalSchema.parse({ kind: PrincipalKind.agency, id: agencyId });
}

/** How audit rows name who did something: `kind:id`, e.g. `api:api`, `operator:op001`. */
export function auditName(principal: Principal): string {
  return `${principal.kind}:${principal.id}`;
}
