import { DomainError } from '../errors.js';
import { type Principal, PrincipalKind } from './principal.js';

/**
 * An operator acts only on calls they handled (the call row's operator); every other principal a
 * route admits acts on any call. A call an operator merely rang for, or that another operator
 * took, is not theirs: it may hold a caller's number and location they have no reason to see.
 */
export function ensureOwnCallIfOperator(principal: Principal, call: { id: string; operatorId: string | null }): void {
  if (principal.kind !== PrincipalKind.operator || call.operatorId === principal.id) return;
  throw new DomainError(403, 'forbidden', `call ${call.id} was not handled by operator ${principal.id}`);
}
