import { describe, expect, it } from 'vitest';
import { ADMIN_PRINCIPAL, API_PRINCIPAL, amlSenderPrincipal, operatorPrincipal, SUPERVISOR_PRINCIPAL } from '../../../src/auth/principal.js';
import { mayReceive, viewerOf } from '../../../src/live/audience.js';

describe('who receives a live event', () => {
  it('given each principal, then supervisors and the API see everything, an operator streams as themselves, admins and AML senders not at all', () => {
    expect(viewerOf(SUPERVISOR_PRINCIPAL)).toEqual({ kind: 'everything' });
    expect(viewerOf(API_PRINCIPAL)).toEqual({ kind: 'everything' });
    expect(viewerOf(operatorPrincipal('op001'))).toEqual({ kind: 'operator', operatorId: 'op001' });
    expect(viewerOf(ADMIN_PRINCIPAL)).toBeUndefined();
    expect(viewerOf(amlSenderPrincipal('telkomsel'))).toBeUndefined();
  });

  it("given a call's event, then its operators and the supervisors receive it, another operator does not", () => {
    const reached = { operators: new Set(['op001', 'op003']), everything: true };
    expect(mayReceive({ kind: 'everything' }, reached)).toBe(true);
    expect(mayReceive({ kind: 'everything' }, { operators: new Set(), everything: true })).toBe(true);
    expect(mayReceive({ kind: 'operator', operatorId: 'op001' }, reached)).toBe(true);
    expect(mayReceive({ kind: 'operator', operatorId: 'op002' }, reached)).toBe(false);
  });

  it('given the catch-up of a call that just reached one operator, then only that operator receives it', () => {
    const catchUp = { operators: new Set(['op001']), everything: false };
    expect(mayReceive({ kind: 'operator', operatorId: 'op001' }, catchUp)).toBe(true);
    expect(mayReceive({ kind: 'operator', operatorId: 'op002' }, catchUp)).toBe(false);
    expect(mayReceive({ kind: 'everything' }, catchUp)).toBe(false);
  });

  it('given an event for everyone (the queue), then every operator receives it', () => {
    expect(mayReceive({ kind: 'operator', operatorId: 'op002' }, 'all')).toBe(true);
  });
});
