import { describe, expect, it } from 'vitest';
import { callersToHandOver } from '../../../src/guardian/decide.js';
import type { LiveChannel } from '../../../src/telephony/port.js';

const channel = (id: string, appArgs: string[] | null = ['dialled=112']): LiveChannel => ({
  id, name: `PJSIP/${id}`, state: 'Up', callerNumber: '0811', callerName: '', context: 'emergency', extension: '112',
  creationTime: new Date(0).toISOString(), language: 'id', appArgs,
});
const channels = [
  channel('in-ivr'), channel('waiting'), channel('talking'), channel('leg-operator', ['leg=offer', 'call=x']),
  channel('in-fallback-queue', null), channel('left-alone'),
];
const bridges = [
  { id: 'hold-a', channels: ['waiting'], createdAt: null },
  { id: 'call-b', channels: ['talking', 'leg-operator'], createdAt: null },
  // The operator hung up while siaga112 was down: the caller is alone in the call's bridge.
  { id: 'call-c', channels: ['left-alone'], createdAt: null },
];
const limits = { freeAfterMs: 3000, holdingAfterMs: 20_000 };

describe('the guardian\'s decision', () => {
  it('given siaga112 silent for less than the first limit, then nobody is moved', () => {
    expect(callersToHandOver(channels, bridges, 2999, limits)).toEqual([]);
  });

  it('given siaga112 silent past the first limit, then only callers with nobody go to the fallback: in no bridge, or alone in a call\'s bridge', () => {
    expect(callersToHandOver(channels, bridges, 3000, limits)).toEqual(['in-ivr', 'left-alone']);
  });

  it('given siaga112 silent past the holding limit, then waiting callers go too, but never a connected call, a leg of ours, or a channel outside the app', () => {
    expect(callersToHandOver(channels, bridges, 20_000, limits)).toEqual(['in-ivr', 'waiting', 'left-alone']);
  });
});
