import { ensureOwnCallIfOperator } from '../auth/call-ownership.js';
import { auditName, type Principal } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import type { CallsRepository } from '../db/calls-repository.js';
import type { LocationRepository } from '../db/location-repository.js';
import { DomainError } from '../errors.js';
import { normaliseNumber } from '../numbers/phone-number.js';
import { emptyReading, type CivicAddress, type FixReading } from '../geo/fix.js';
import { storedFixOf } from './fix-rows.js';
import type { LocationService } from './location-service.js';
import type { StoredFix } from '../geo/stored-fix.js';

export interface OperatorEntry {
  latitude?: number;
  longitude?: number;
  accuracyM?: number;
  civic?: CivicAddress;
}

/**
 * The operator's word on where the caller is: a location they entered (from what the caller
 * said), or one of the call's fixes they confirmed. Either is a new fix from source `operator`
 * (nothing is overwritten) and an event on the call with who and when.
 */
export class OperatorFixes {
  constructor(private readonly deps: { service: LocationService; calls: CallsRepository; repo: LocationRepository; clock: Clock }) {}

  /** The call, if this principal may see and locate it (an operator: only a call they handled). */
  callFor(callId: string, principal: Principal) {
    const call = this.deps.calls.findById(callId);
    if (!call) throw new DomainError(404, 'call-not-found', `no call ${callId}`);
    ensureOwnCallIfOperator(principal, call);
    return call;
  }

  enter(callId: string, principal: Principal, entry: OperatorEntry): StoredFix {
    const call = this.callFor(callId, principal);
    const hasPoint = entry.latitude !== undefined && entry.longitude !== undefined;
    const reading: FixReading = {
      ...emptyReading('operator'), method: 'manual',
      shape: !hasPoint ? 'civic' : entry.accuracyM !== undefined ? 'circle' : 'point',
      latitude: entry.latitude ?? null, longitude: entry.longitude ?? null, accuracyM: entry.accuracyM ?? null, civic: entry.civic ?? null,
    };
    const fix = this.deps.service.take(reading, this.context(call, principal, null));
    this.deps.calls.appendEvent(call.id, { type: 'location-entered', at: this.deps.clock.now(), detail: { fixId: fix.id, by: auditName(principal) } });
    return fix;
  }

  confirm(callId: string, principal: Principal, fixId: string): StoredFix {
    const call = this.callFor(callId, principal);
    const row = this.deps.repo.fixById(fixId);
    if (!row || row.callId !== call.id) throw new DomainError(404, 'fix-not-found', `call ${call.id} has no fix ${fixId}`);
    const original = storedFixOf(row);
    const reading: FixReading = {
      ...emptyReading('operator'), shape: original.shape, latitude: original.latitude, longitude: original.longitude,
      accuracyM: original.accuracyM, confidencePct: original.confidencePct, altitudeM: original.altitudeM,
      verticalAccuracyM: original.verticalAccuracyM, method: original.method, ellipse: original.ellipse, polygon: original.polygon,
      civic: original.civic, fixedAt: original.fixedAt === null ? null : Date.parse(original.fixedAt),
    };
    const fix = this.deps.service.take(reading, this.context(call, principal, fixId));
    this.deps.calls.appendEvent(call.id, { type: 'location-confirmed', at: this.deps.clock.now(), detail: { fixId: fix.id, confirms: fixId, by: auditName(principal) } });
    return fix;
  }

  private context(call: { id: string; callerNumber: string }, principal: Principal, confirmsFixId: string | null) {
    return {
      callId: call.id, number: normaliseNumber(call.callerNumber), receivedAt: this.deps.clock.now(), raw: '',
      enteredBy: auditName(principal), confirmsFixId,
    };
  }
}
