import { describe, expect, it } from 'vitest';
import { actionKey, planReconcile, type ReconcileAction } from '../../../src/reconcile/plan.js';
import { type LiveView, type MemoryView, NOTHING_IN_MEMORY, type StoredCall, type StoredView } from '../../../src/reconcile/views.js';
import type { LiveChannel } from '../../../src/telephony/port.js';

const NOW = 1_800_000_000_000;
const OLD = new Date(NOW - 60_000).toISOString();
const options = { now: NOW, graceMs: 3000, wrapupMs: 10_000 };

const call = (callId: string, extra: Partial<StoredCall> = {}): StoredCall => ({
  callId, channelId: `chan-${callId}`, state: 'queued', enqueuedAt: NOW - 30_000, recordingName: null, channelEndedAt: null, answered: null, ...extra,
});
const channel = (id: string, appArgs: string[] | null = ['dialled=112'], creationTime = OLD): LiveChannel => ({
  id, name: `PJSIP/${id}`, state: 'Up', callerNumber: '0811', callerName: '', context: 'emergency', extension: '112', creationTime, language: 'id', appArgs,
});
const stored = (extra: Partial<StoredView> = {}): StoredView => ({ openCalls: [], wrapupCalls: [], operators: [], unclosedOffers: [], ...extra });
const live = (extra: Partial<LiveView> = {}): LiveView => ({ channels: [], bridges: [], recordings: new Set(), handovers: new Map(), callbacks: new Map(), ...extra });
const memory = (extra: Partial<MemoryView> = {}): MemoryView => ({ ...NOTHING_IN_MEMORY, ...extra });
const bridge = (id: string, channels: string[] = [], createdAt: number | null = NOW - 60_000) => ({ id, channels, createdAt });
const op001 = (state: 'busy' | 'offered' | 'wrapup' | 'available', callId: string | null, stateSince = NOW - 4000) => ({ operatorId: 'op001', state, callId, stateSince });

const connectedA = call('A', { state: 'connected', answered: { channelId: 'leg-op1', target: 'op001' }, recordingName: 'call-A' });

const kinds = (actions: ReconcileAction[]) => actions.map((a) => a.kind);

/** Each row: the situation after a fault, and what reconciliation must do about it. */
const cases: Array<{ name: string; stored: StoredView; memory?: MemoryView; live: LiveView; expected: ReconcileAction[] }> = [
  {
    name: 'caller and operator leg both live: re-attached, operator stays busy',
    stored: stored({ openCalls: [connectedA], operators: [op001('busy', 'A')] }),
    live: live({ channels: [channel('chan-A'), channel('leg-op1', ['leg=offer', 'call=A'])], bridges: [bridge('call-A', ['chan-A', 'leg-op1'])], recordings: new Set(['call-A']) }),
    expected: [{ kind: 'adopt-call', callId: 'A', channelId: 'chan-A' }],
  },
  {
    name: 'caller gone, operator leg live: leg hung up, operator to wrap-up, call closed at its true end, bridge destroyed, recording stopped',
    stored: stored({ openCalls: [{ ...connectedA, channelEndedAt: NOW - 2500 }], operators: [op001('busy', 'A')] }),
    live: live({ channels: [channel('leg-op1', ['leg=offer', 'call=A'])], bridges: [bridge('call-A', ['leg-op1'])], recordings: new Set(['call-A']) }),
    expected: [
      { kind: 'close-vanished', callId: 'A', state: 'connected', endedAt: NOW - 2500, enqueuedAt: NOW - 30_000, finish: false },
      { kind: 'stop-recording', callId: 'A', name: 'call-A' },
      { kind: 'hangup-leg', channelId: 'leg-op1', why: 'no-open-call' },
      { kind: 'destroy-bridge', bridgeId: 'call-A' },
      { kind: 'free-operator', operatorId: 'op001', from: 'busy', to: 'wrapup', callId: 'A' },
      { kind: 'resume-wrapup', operatorId: 'op001', callId: 'A', remainingMs: 10_000 },
    ],
  },
  {
    name: 'operator leg gone, caller live: caller back in line (head), operator freed, call bridge destroyed',
    stored: stored({ openCalls: [connectedA], operators: [op001('busy', 'A')] }),
    live: live({ channels: [channel('chan-A')], bridges: [bridge('call-A', ['chan-A'])], recordings: new Set(['call-A']) }),
    expected: [
      { kind: 'stop-recording', callId: 'A', name: 'call-A' },
      { kind: 'destroy-bridge', bridgeId: 'call-A' },
      { kind: 'free-operator', operatorId: 'op001', from: 'busy', to: 'wrapup', callId: 'A' },
      { kind: 'resume-wrapup', operatorId: 'op001', callId: 'A', remainingMs: 10_000 },
      { kind: 'requeue-call', callId: 'A', channelId: 'chan-A' },
    ],
  },
  {
    name: 'a ring left over from before: cancelled, operator available again, waiting caller resumed in its holding bridge',
    stored: stored({ openCalls: [call('B', { state: 'offered' })], operators: [op001('offered', 'B')], unclosedOffers: [{ channelId: 'leg-ring', callId: 'B', target: 'op001' }] }),
    live: live({ channels: [channel('chan-B'), channel('leg-ring', null)], bridges: [bridge('hold-B', ['chan-B'])] }),
    expected: [
      { kind: 'cancel-offer', channelId: 'leg-ring', callId: 'B', target: 'op001' },
      { kind: 'hangup-leg', channelId: 'leg-ring', why: 'ring-left-over' },
      { kind: 'free-operator', operatorId: 'op001', from: 'offered', to: 'available', callId: null },
      { kind: 'adopt-call', callId: 'B', channelId: 'chan-B' },
    ],
  },
  {
    name: 'bridges of ours with no open call are destroyed; others\' bridges are not ours to touch',
    stored: stored(),
    live: live({ bridges: [bridge('hold-gone'), bridge('call-gone'), bridge('monitor-leg-x'), bridge('callback-cb1'), bridge('someone-elses')] }),
    expected: ['hold-gone', 'call-gone', 'monitor-leg-x', 'callback-cb1'].map((bridgeId) => ({ kind: 'destroy-bridge', bridgeId }) as const),
  },
  {
    name: 'a bridge created a moment ago is left alone (its call may be being set up)',
    stored: stored(),
    live: live({ bridges: [bridge('hold-new', [], NOW - 500)] }),
    expected: [],
  },
  {
    name: 'a caller in our app with no open call goes to the fallback; one that arrived a moment ago is left alone',
    stored: stored(),
    live: live({ channels: [channel('stray'), channel('fresh', ['dialled=112'], new Date(NOW - 200).toISOString()), channel('in-queue-app', null)] }),
    expected: [{ kind: 'orphan-to-fallback', channelId: 'stray', closedCallId: null }],
  },
  {
    name: 'a queued caller who hung up while siaga112 was down: closed as abandoned at the end from the CDR',
    stored: stored({ openCalls: [call('C', { channelEndedAt: NOW - 7000 })] }),
    live: live(),
    expected: [{ kind: 'close-vanished', callId: 'C', state: 'queued', endedAt: NOW - 7000, enqueuedAt: NOW - 30_000, finish: false }],
  },
  {
    name: 'a connected call with nobody left on it (the overflow answered) is finished at once',
    stored: stored({ openCalls: [call('D', { state: 'connected', answered: { channelId: 'leg-ov', target: 'overflow' } })] }),
    live: live(),
    expected: [{ kind: 'close-vanished', callId: 'D', state: 'connected', endedAt: NOW, enqueuedAt: NOW - 30_000, finish: true }],
  },
  {
    name: 'a caller the guardian handed to the dialplan is recorded as its hand-over',
    stored: stored({ openCalls: [call('E')] }),
    live: live({ channels: [channel('chan-E', null)], handovers: new Map([['chan-E', 'guardian']]) }),
    expected: [{ kind: 'handed-over', callId: 'E', by: 'guardian', tracked: false }],
  },
  {
    name: 'a session of ours whose caller vanished without an event is told',
    stored: stored({ openCalls: [call('F')] }),
    memory: memory({ sessions: new Set(['F']) }),
    live: live({ bridges: [bridge('hold-F')] }),
    expected: [{ kind: 'session-caller-gone', callId: 'F' }, { kind: 'destroy-bridge', bridgeId: 'hold-F' }],
  },
  {
    name: 'a tracked connected call whose operator leg vanished: its owner hears of it',
    stored: stored({ openCalls: [connectedA], operators: [op001('busy', 'A')] }),
    memory: memory({
      sessions: new Set(['A']), connected: new Map([['A', { callerChannelId: 'chan-A', operatorId: 'op001', operatorChannelId: 'leg-op1' }]]),
      legs: new Set(['leg-op1']), engaged: new Map([['op001', 'talking']]),
    }),
    live: live({ channels: [channel('chan-A')], bridges: [bridge('call-A', ['chan-A'])], recordings: new Set(['call-A']) }),
    expected: [{ kind: 'leg-vanished', channelId: 'leg-op1' }],
  },
  {
    name: 'an operator in wrap-up without a running timer gets one for the time left; a call in wrap-up nobody wraps is finished',
    stored: stored({ operators: [op001('wrapup', 'G', NOW - 4000)], wrapupCalls: ['G', 'H'] }),
    live: live(),
    expected: [{ kind: 'resume-wrapup', operatorId: 'op001', callId: 'G', remainingMs: 6000 }, { kind: 'finish-call', callId: 'H' }],
  },
  {
    name: 'a caller the operator had handed over to an agency, the agency still with them: the call goes on, nobody is hung up',
    stored: stored({ openCalls: [connectedA], operators: [op001('wrapup', 'A', NOW - 2000)] }),
    memory: memory({ wrappingUp: new Set(['op001']) }),
    live: live({ channels: [channel('chan-A'), channel('leg-damkar', ['leg=agency', 'call=A'])], bridges: [bridge('call-A', ['chan-A', 'leg-damkar'])], recordings: new Set(['call-A']) }),
    expected: [{ kind: 'adopt-call', callId: 'A', channelId: 'chan-A' }],
  },
  {
    name: 'a callback conversation still going: its bridge, its legs and its busy operator are left alone',
    stored: stored({ operators: [op001('busy', 'K')] }),
    live: live({
      channels: [channel('leg-cb-op', ['leg=callback-operator', 'callback=cb1']), channel('leg-cb-citizen', ['leg=callback-citizen', 'callback=cb1'])],
      bridges: [bridge('callback-cb1', ['leg-cb-op', 'leg-cb-citizen'])], callbacks: new Map([['callback-cb1', { operatorId: 'op001', callId: 'K' }]]),
    }),
    expected: [],
  },
  {
    name: 'a call being re-attached right now (its session has not tracked it yet): its operator stays busy',
    stored: stored({ openCalls: [connectedA], operators: [op001('busy', 'A')] }),
    memory: memory({ sessions: new Set(['A']) }),
    live: live({ channels: [channel('chan-A'), channel('leg-op1', ['leg=offer', 'call=A'])], bridges: [bridge('call-A', ['chan-A', 'leg-op1'])] }),
    expected: [],
  },
  {
    name: 'an operator who paused during their wrap-up: the call waits for that wrap-up to end',
    stored: stored({ operators: [{ operatorId: 'op001', state: 'paused', callId: null, stateSince: NOW }], wrapupCalls: ['W'] }),
    memory: memory({ wrappingCalls: new Set(['W']) }),
    live: live(),
    expected: [],
  },
  {
    name: 'everything agrees: nothing to do',
    stored: stored({ openCalls: [call('I')], operators: [op001('offered', 'I')], unclosedOffers: [{ channelId: 'leg-i', callId: 'I', target: 'op001' }] }),
    memory: memory({ sessions: new Set(['I']), legs: new Set(['leg-i']), engaged: new Map([['op001', 'ringing']]) }),
    live: live({ channels: [channel('chan-I'), channel('leg-i', null)], bridges: [bridge('hold-I', ['chan-I'])] }),
    expected: [],
  },
];

describe('reconcile plan', () => {
  for (const row of cases) {
    it(`given ${row.name}`, () => {
      expect(planReconcile(row.stored, row.memory ?? NOTHING_IN_MEMORY, row.live, options)).toEqual(row.expected);
    });
  }

  it('given a busy operator whose call is handed over, then the operator is freed and nothing of the call is resumed', () => {
    const plan = planReconcile(stored({ openCalls: [connectedA], operators: [op001('busy', 'A')] }), NOTHING_IN_MEMORY,
      live({ channels: [channel('chan-A', null), channel('leg-op1', ['leg=offer', 'call=A'])] }), options);
    expect(kinds(plan)).toEqual(['handed-over', 'hangup-leg', 'free-operator', 'resume-wrapup']);
  });

  it('given the same disagreement seen twice, then its key is the same (times aside), so the self-check can tell it persists', () => {
    const view = stored({ openCalls: [call('C')], operators: [op001('wrapup', null)] });
    const first = planReconcile(view, NOTHING_IN_MEMORY, live(), options).map(actionKey);
    const later = planReconcile(view, NOTHING_IN_MEMORY, live(), { ...options, now: NOW + 3000 }).map(actionKey);
    expect(later).toEqual(first);
  });
});
