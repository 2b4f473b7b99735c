import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { callEventSchemas } from '../../../src/calls/call-events.js';
import type { CallRow } from '../../../src/db/calls-repository.js';
import type { FixRow } from '../../../src/db/location-repository.js';
import type { OfferRow } from '../../../src/db/offers-repository.js';
import { EventBus } from '../../../src/events/event-bus.js';
import type { Viewer } from '../../../src/live/audience.js';
import type { LiveFrame } from '../../../src/live/live-events.js';
import { LiveStream } from '../../../src/live/live-stream.js';
import { storedFixOf } from '../../../src/location/fix-rows.js';
import { locationEventSchemas } from '../../../src/location/location-events.js';
import { operatorEventSchemas } from '../../../src/operators/operator-events.js';
import type { QueueStateView } from '../../../src/queue/queue-state.js';
import { VirtualClock } from '../../fakes/virtual-clock.js';

const T0 = Date.parse('2025-03-01T08:00:00Z');

function callRow(id: string, change: Partial<CallRow> = {}): CallRow {
  return {
    id, channelId: `chan-${id}`, callerNumber: '081234567890', callerNumberKey: '+6281234567890', callerName: '', dialledNumber: '112',
    state: 'queued', endReason: null, fallbackReason: null, arrivedAt: T0, answeredAt: T0 + 1000, endedAt: null, channelEndedAt: null,
    category: 'medical', priority: 5, language: 'id', tags: '[]', ivrVersion: 1, enqueuedAt: T0 + 5000, connectedAt: null, operatorId: null,
    queueWaitMs: null, recordingName: null, recordingDeletedAt: null, ...change,
  };
}

function fixRow(callId: string): FixRow {
  return {
    id: randomUUID(), callId, source: 'aml-https', shape: 'circle', latitude: -6.24, longitude: 106.99, accuracyM: 25, confidencePct: 68,
    altitudeM: null, verticalAccuracyM: null, method: 'gnss', geometry: '{}', fixedAt: T0, receivedAt: T0 + 2000, number: '+6281234567890',
    kecamatan: 'Bekasi Selatan', kecamatanTouched: '["Bekasi Selatan"]', enteredBy: null, confirmsFixId: null, raw: '',
  };
}

const emptyQueue = (at: number): QueueStateView => ({
  at, depth: 0, longestWaitMs: 0, connected: 0, waiting: [],
  operators: { offline: 3, available: 0, offered: 0, busy: 0, wrapup: 0, paused: 0, unreachable: 0 },
});

/** A stream on in-memory rows and a real event bus, with listeners that collect what they are sent. */
function setup(capacity = 100) {
  const clock = new VirtualClock(T0);
  const log = pino({ level: 'silent' });
  const events = new EventBus({ ...callEventSchemas, ...operatorEventSchemas, ...locationEventSchemas }, log);
  const rows = new Map<string, CallRow>();
  const offers: Array<Pick<OfferRow, 'callId' | 'target'> & { endedAt?: number | null }> = [];
  const fixes: FixRow[] = [];
  const queueListeners = new Set<() => void>();
  const stream = new LiveStream({
    calls: { findById: (id) => rows.get(id), openCalls: () => [...rows.values()].filter((row) => row.endedAt === null) },
    offers: { forCall: (callId) => offers.filter((o) => o.callId === callId).map((o) => ({ endedAt: null, ...o })) as OfferRow[] },
    fixes: { fixesOf: (callId) => fixes.filter((f) => f.callId === callId) },
    events, clock, log, capacity, queueCoalesceMs: 200,
    queue: {
      state: () => emptyQueue(clock.now()),
      onChange: (listener) => {
        queueListeners.add(listener);
        return () => queueListeners.delete(listener);
      },
    },
  });
  const stops = stream.start();
  const listen = (viewer: Viewer, lastEventId?: string) => {
    const frames: LiveFrame[] = [];
    const close = stream.open(viewer, lastEventId, (frame) => frames.push(frame));
    return { frames, close, callIds: () => frames.flatMap((f) => (f.type === 'call.updated' ? [f.data.call.id] : f.type === 'location.fix' ? [f.data.callId] : [])) };
  };
  /** A call's row changes and its lifecycle event is published, as the call record does. */
  const change = (id: string, type: 'call.arrived' | 'call.offered' | 'call.connected', patch: Partial<CallRow> = {}) => {
    rows.set(id, callRow(id, { ...rows.get(id), ...patch }));
    if (type === 'call.arrived') events.publish(type, { callId: id, at: clock.now(), channelId: `chan-${id}`, callerNumber: '081234567890', dialled: '112' });
    else if (type === 'call.connected') events.publish(type, { callId: id, at: clock.now(), operatorId: patch.operatorId ?? null });
    else events.publish(type, { callId: id, at: clock.now() });
  };
  const rings = (operatorId: string, callId: string) =>
    events.publish('operator.state-changed', { operatorId, from: 'available', to: 'offered', trigger: 'offer', callId, at: clock.now() });
  return { clock, events, rows, offers, fixes, stream, stops, listen, change, rings, queueChanged: () => queueListeners.forEach((l) => l()) };
}

const supervisor: Viewer = { kind: 'everything' };
const operator = (operatorId: string): Viewer => ({ kind: 'operator', operatorId });

describe('the live stream', () => {
  it('given a call that rang op001, then op001 gets it with the fixes it already had, op002 never hears of it, supervisors see every step', () => {
    const s = setup();
    const sup = s.listen(supervisor);
    const op1 = s.listen(operator('op001'));
    const op2 = s.listen(operator('op002'));
    s.change('c1', 'call.arrived', { state: 'arriving' });
    s.fixes.push(fixRow('c1'));
    expect(op1.callIds()).toEqual([]);

    s.rings('op001', 'c1');
    s.change('c1', 'call.offered', { state: 'offered' });
    s.offers.push({ callId: 'c1', target: 'op001' });
    s.change('c1', 'call.connected', { state: 'connected', operatorId: 'op001' });

    expect(op1.frames.map((f) => f.type)).toEqual(['snapshot', 'queue.snapshot', 'call.updated', 'location.fix', 'call.updated', 'call.updated']);
    expect(op1.frames.at(-1)).toMatchObject({ type: 'call.updated', data: { call: { id: 'c1', state: 'connected', operatorId: 'op001' } } });
    expect(op2.callIds()).toEqual([]);
    expect(sup.frames.filter((f) => f.type === 'call.updated').map((f) => f.type === 'call.updated' && f.data.call.state)).toEqual(['arriving', 'offered', 'connected']);
  });

  it('given an operator who was rung for a call, then a later stream of theirs has it in the snapshot with its fixes; another operator\'s snapshot has none', () => {
    const s = setup();
    s.change('c1', 'call.arrived');
    s.offers.push({ callId: 'c1', target: 'op001' });
    s.fixes.push(fixRow('c1'));
    const mine = s.listen(operator('op001')).frames[0];
    const theirs = s.listen(operator('op002')).frames[0];
    expect(mine).toMatchObject({ type: 'snapshot', data: { calls: [{ id: 'c1' }], fixes: [{ callId: 'c1' }] } });
    expect(theirs).toMatchObject({ type: 'snapshot', data: { calls: [], fixes: [] } });
  });

  it('given op001 rung for a call that op002 then took, then op001 no longer receives it: not in a new snapshot, not its later fixes', () => {
    const s = setup();
    s.change('c1', 'call.arrived');
    s.offers.push({ callId: 'c1', target: 'op001', endedAt: 1 });
    s.offers.push({ callId: 'c1', target: 'op002' });
    s.rows.get('c1')!.operatorId = 'op002';
    const op1 = s.listen(operator('op001'));
    const op2 = s.listen(operator('op002'));
    s.events.publish('location.fix', { callId: 'c1', at: 1, fix: storedFixOf(fixRow('c1')) });
    expect(op1.frames[0]).toMatchObject({ type: 'snapshot', data: { calls: [], fixes: [] } });
    expect(op1.frames.filter((f) => f.type === 'location.fix')).toEqual([]);
    expect(op2.frames.filter((f) => f.type === 'location.fix')).toHaveLength(1);
  });

  it('given op001 lost mid-call and the call back in line ringing op002, then op002 follows it (and its new fixes) and op001 no longer does', () => {
    const s = setup();
    const moves = (operatorId: string, from: string, to: string, callId: string | null) =>
      s.events.publish('operator.state-changed', { operatorId, from: from as 'busy', to: to as 'busy', trigger: 'test', callId, at: s.clock.now() });
    s.change('c1', 'call.arrived');
    s.rings('op001', 'c1');
    moves('op001', 'offered', 'busy', 'c1');
    s.change('c1', 'call.connected', { state: 'connected', operatorId: 'op001' });
    // op001's leg is lost: op001 is freed, the call waits again (its row still names op001), op002 rings.
    moves('op001', 'busy', 'available', null);
    s.change('c1', 'call.offered', { state: 'offered' });
    const op1 = s.listen(operator('op001'));
    const op2 = s.listen(operator('op002'));
    s.rings('op002', 'c1');
    s.events.publish('location.fix', { callId: 'c1', at: 1, fix: storedFixOf(fixRow('c1')) });
    expect(op1.frames[0]).toMatchObject({ type: 'snapshot', data: { calls: [] } });
    expect(op1.callIds()).toEqual([]);
    expect(op2.callIds()).toEqual(['c1', 'c1']);
    expect(op2.frames.filter((f) => f.type === 'location.fix')).toHaveLength(1);
  });

  it('given a ring that ended unanswered (a callback, with no offer row), then that operator stops receiving the call', () => {
    const s = setup();
    s.change('c1', 'call.arrived');
    const op1 = s.listen(operator('op001'));
    s.rings('op001', 'c1');
    s.events.publish('operator.state-changed', { operatorId: 'op001', from: 'offered', to: 'paused', trigger: 'no-answer', callId: null, at: s.clock.now() });
    const before = op1.frames.length;
    s.events.publish('location.fix', { callId: 'c1', at: 1, fix: storedFixOf(fixRow('c1')) });
    s.change('c1', 'call.offered', { state: 'offered' });
    expect(op1.frames.length).toBe(before);
  });

  it('given a reconnect with the last id received, then exactly the missed events it may see follow, in order, and no snapshot', () => {
    const s = setup();
    const first = s.listen(operator('op002'));
    const lastSeen = first.frames.at(-1)!.id;
    first.close();
    s.change('c1', 'call.arrived');
    s.change('c2', 'call.arrived');
    s.rings('op002', 'c2');
    s.queueChanged();
    return s.clock.advance(200).then(() => {
      const op2 = s.listen(operator('op002'), lastSeen);
      expect(op2.frames.map((f) => f.type)).toEqual(['call.updated', 'queue.snapshot']);
      expect(op2.callIds()).toEqual(['c2']);
      const sup = s.listen(supervisor, lastSeen);
      const seqs = sup.frames.map((f) => Number(f.id.split('-')[1]));
      // Event 3 was op002's catch-up of c2: a supervisor had it already, with event 2.
      expect(seqs).toEqual([1, 2, 4]);
      expect(sup.callIds()).toEqual(['c1', 'c2']);
    });
  });

  it('given a last id from another process or one pushed out of the ring, then a fresh snapshot comes instead', () => {
    const s = setup(2);
    const id = s.listen(supervisor).frames[0]!.id;
    for (const callId of ['c1', 'c2', 'c3']) s.change(callId, 'call.arrived');
    expect(s.listen(supervisor, id).frames[0]).toMatchObject({ type: 'snapshot', data: { calls: [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }] } });
    expect(s.listen(supervisor, 'deadbeef-3').frames[0]?.type).toBe('snapshot');
    expect(s.listen(supervisor, 'nonsense').frames[0]?.type).toBe('snapshot');
  });

  it('given a burst of queue changes, then one queue snapshot is sent after 200 ms, to operators too; stopping cancels a pending one', async () => {
    const s = setup();
    const op1 = s.listen(operator('op001'));
    s.queueChanged();
    s.queueChanged();
    s.queueChanged();
    await s.clock.advance(199);
    expect(op1.frames.filter((f) => f.type === 'queue.snapshot')).toHaveLength(1);
    await s.clock.advance(1);
    expect(op1.frames.filter((f) => f.type === 'queue.snapshot')).toHaveLength(2);
    s.queueChanged();
    for (const stop of s.stops) stop();
    expect(s.clock.pending).toBe(0);
  });

  it('given a listener whose socket throws, then the others still receive the event', () => {
    const s = setup();
    s.stream.open(supervisor, undefined, (frame) => {
      if (frame.type === 'call.updated') throw new Error('socket gone');
    });
    const sup = s.listen(supervisor);
    s.change('c1', 'call.arrived');
    expect(sup.callIds()).toEqual(['c1']);
  });
});
