import { describe, expect, it } from 'vitest';
import { type OperatorView, type WaitingCall, chooseOperators, orderQueue } from '../../../src/queue/acd.js';

const call = (callId: string, priority: number, arrivedAt: number, extra: Partial<WaitingCall> = {}): WaitingCall => ({
  callId, priority, arrivedAt, language: 'id', category: 'other', headOfLine: false, ...extra,
});
const op = (operatorId: string, idleSince: number, extra: Partial<OperatorView> = {}): OperatorView => ({
  operatorId, state: 'available', reachable: true, idleSince, languages: ['id'], categories: [], ...extra,
});

describe('switchboard decisions', () => {
  it('given callers of different priority, then priority overtakes arrival order', () => {
    const queue = orderQueue([call('ghost', 0, 1), call('traffic', 70, 3), call('fire', 90, 5), call('other', 50, 2), call('fire-early', 90, 4)]);
    expect(queue.map((c) => c.callId)).toEqual(['fire-early', 'fire', 'traffic', 'other', 'ghost']);
  });

  it('given a caller who lost their operator, then they are answered before a newer fire call and an older crime call', () => {
    const queue = orderQueue([call('crime-old', 60, 1), call('fire-new', 90, 9), call('lost-operator', 60, 5, { headOfLine: true })]);
    expect(queue.map((c) => c.callId)).toEqual(['lost-operator', 'fire-new', 'crime-old']);
  });

  it('given two free operators, when longest-idle chooses, then the one free the longest is offered the call', () => {
    expect(chooseOperators(call('c', 50, 0), [op('op001', 2000), op('op002', 1000)], 'longest-idle').map((o) => o.operatorId)).toEqual(['op002']);
  });

  it('given an operator whose softphone is not registered, then they are never offered a call, whatever their state says', () => {
    expect(chooseOperators(call('c', 50, 0), [op('op001', 1000, { reachable: false }), op('op002', 2000)], 'longest-idle').map((o) => o.operatorId)).toEqual(['op002']);
    expect(chooseOperators(call('c', 50, 0), [op('op001', 1000, { reachable: false })], 'ringall')).toEqual([]);
  });

  it('given operators in wrap-up, paused or busy, then only available ones ring', () => {
    const operators = [op('op001', 1, { state: 'wrapup' }), op('op002', 2, { state: 'paused' }), op('op003', 3, { state: 'busy' }), op('op004', 4)];
    expect(chooseOperators(call('c', 50, 0), operators, 'ringall').map((o) => o.operatorId)).toEqual(['op004']);
  });

  it('given the skills strategy, then an English caller goes to an English speaker, but never waits for one', () => {
    const english = call('c', 50, 0, { language: 'en' });
    const operators = [op('op001', 1000), op('op002', 3000, { languages: ['id', 'en'] })];
    expect(chooseOperators(english, operators, 'skills').map((o) => o.operatorId)).toEqual(['op002']);
    expect(chooseOperators(english, [op('op001', 1000)], 'skills').map((o) => o.operatorId)).toEqual(['op001']);
  });
});
