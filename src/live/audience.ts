import { type Principal, PrincipalKind } from '../auth/principal.js';

/**
 * Who listens on a stream: the supervisors' and the API's wallboards see every event; an
 * operator sees a call while their phone rings for it and once they handle it, and
 * those calls' fixes, and the queue (counts, categories and waits: no caller's number).
 */
export type Viewer = { kind: 'everything' } | { kind: 'operator'; operatorId: string };

/**
 * Who may see an event, fixed when it happens: `'all'` for one without callers in it (the
 * queue); else the operators its call had reached then, and whether the supervisors and the API
 * see it too (they do, but for the catch-up a single operator gets when a call reaches them).
 */
export type Audience = 'all' | { operators: ReadonlySet<string>; everything: boolean };

/** The viewer a principal streams as; undefined for kinds the stream does not serve (admin, AML senders). */
export function viewerOf(principal: Principal): Viewer | undefined {
  switch (principal.kind) {
    case PrincipalKind.api:
    case PrincipalKind.supervisor:
      return { kind: 'everything' };
    case PrincipalKind.operator:
      return { kind: 'operator', operatorId: principal.id };
    default:
      return undefined;
  }
}

/** Whether a viewer receives an event meant for `audience`. */
export function mayReceive(viewer: Viewer, audience: Audience): boolean {
  if (audience === 'all') return true;
  return viewer.kind === 'everything' ? audience.everything : audience.operators.has(viewer.operatorId);
}
