import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { type LiveFrame, liveEventNameSchema, liveEventSchemas } from '../../../src/live/live-events.js';
import { LocationRepository } from '../../../src/db/location-repository.js';
import type { StoredFix } from '../../../src/geo/stored-fix.js';
import { coreHarness, operatorToken, TEST_ADMIN_TOKEN, TEST_SUPERVISOR_TOKEN, testApp } from '../../helpers/core.js';
import { ringingAt } from '../../helpers/queue.js';
import { waitFor } from '../../helpers/wait-for.js';

let h: ReturnType<typeof coreHarness>;
let app: FastifyInstance | undefined;
const streams: Array<{ close: () => void }> = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await app?.close();
  app = undefined;
  h?.close();
});

async function start() {
  h = coreHarness({ queue: true });
  app = await testApp(h);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

type Frame = LiveFrame;
type SnapshotFrame = Extract<Frame, { type: 'snapshot' }>;

/** A client of GET /api/events over real HTTP: every frame it has read so far, parsed. */
async function listen(port: number, token: string, lastEventId?: string) {
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) };
  const response = await fetch(`http://127.0.0.1:${port}/api/events`, { headers, signal: controller.signal });
  const frames: Frame[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const read = async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const lines = buffer.slice(0, end).split('\n').filter((line) => !line.startsWith(':'));
        buffer = buffer.slice(end + 2);
        if (lines.length === 0) continue;
        const field = (name: string) => lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
        // Every frame must match its documented schema: the console relies on it.
        const type = liveEventNameSchema.parse(field('event'));
        frames.push({ id: field('id')!, type, data: liveEventSchemas[type].parse(JSON.parse(field('data')!)) } as Frame);
      }
    }
  };
  read().catch(() => undefined);
  const stream = {
    response, frames,
    close: () => controller.abort(),
    /** Waits for a frame that matches, and returns it (typed as the caller says it matched). */
    until: <F extends Frame = Frame>(match: (frame: Frame) => boolean, what: string) => waitFor(() => frames.find(match) as F | undefined, what),
    snapshot: () => waitFor(() => frames.find((f): f is SnapshotFrame => f.type === 'snapshot'), 'a snapshot'),
    /** The call ids its call and fix events were about. */
    callIds: () => new Set(frames.flatMap((f) => (f.type === 'call.updated' ? [f.data.call.id] : f.type === 'location.fix' ? [f.data.callId] : []))),
  };
  streams.push(stream);
  return stream;
}

const seq = (frame: Frame) => Number(frame.id.split('-')[1]);
type CallFrame = Extract<Frame, { type: 'call.updated' }>;
const callUpdate = (callId: string, state: string) => (f: Frame) => f.type === 'call.updated' && f.data.call.id === callId && f.data.call.state === state;

/** A caller who arrives and hears the greeting; resolves with the call id. */
async function caller(callerNumber: string) {
  const channel = h.telephony.arrive({ callerNumber });
  const callId = h.repo.findByChannelId(channel.id)!.id;
  h.telephony.finishPlayback(await waitFor(() => h.telephony.lastPlayback(channel.id), 'greeting'));
  return callId;
}

function storedFix(callId: string): StoredFix {
  return {
    id: randomUUID(), callId, source: 'aml-https', shape: 'circle', latitude: -6.2383, longitude: 106.9756, accuracyM: 18, confidencePct: 68,
    altitudeM: null, verticalAccuracyM: null, method: 'gnss', ellipse: null, polygon: null, civic: null,
    fixedAt: new Date(h.clock.now() - 3000).toISOString(), receivedAt: new Date(h.clock.now()).toISOString(), number: '+6281234567001',
    kecamatan: 'Bekasi Selatan', kecamatanTouched: ['Bekasi Selatan'], enteredBy: null, confirmsFixId: null,
  };
}

describe('GET /api/events', () => {
  it('given a supervisor stream, when a caller arrives and is answered, then the snapshot comes first and call.updated follows each step', async () => {
    const port = await start();
    const sup = await listen(port, TEST_SUPERVISOR_TOKEN);
    expect(sup.response.headers.get('content-type')).toBe('text/event-stream');
    await sup.until((f) => f.type === 'queue.snapshot', 'the queue after the snapshot');
    expect(sup.frames[0]).toMatchObject({ type: 'snapshot', data: { calls: [], fixes: [] } });

    const channel = h.telephony.arrive({ callerNumber: '081234567001' });
    const callId = h.repo.findByChannelId(channel.id)!.id;
    await sup.until<CallFrame>(callUpdate(callId, 'ivr'), 'the call answered');
    h.telephony.finishPlayback(await waitFor(() => h.telephony.lastPlayback(channel.id), 'greeting'));
    const queued = await sup.until<CallFrame>(callUpdate(callId, 'queued'), 'the call queued');

    const states = sup.frames.flatMap((f) => (f.type === 'call.updated' ? [f.data.call.state] : []));
    expect(states).toEqual(['arriving', 'ivr', 'queued']);
    expect(queued.data.call).toMatchObject({ id: callId, callerNumber: '081234567001', dialledNumber: '112', operatorId: null, endedAt: null });
    expect(Date.parse(queued.data.call.answeredAt!)).toBe(h.repo.findById(callId)!.answeredAt);
    const seqs = sup.frames.slice(1).map(seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it("given two operators' streams, then each receives its own call once it rings and is connected, never the other's", async () => {
    const port = await start();
    h.parts.operators.login('op001');
    const op1 = await listen(port, operatorToken('op001'));
    const op2 = await listen(port, operatorToken('op002'));
    const first = await caller('081234567001');
    const [leg1] = await ringingAt(h, 'PJSIP/op001');
    await op1.until<CallFrame>(callUpdate(first, 'offered'), "op001 sees the call it is rung for");
    h.telephony.answerOriginated(leg1!);
    expect((await op1.until<CallFrame>(callUpdate(first, 'connected'), 'op001 connected')).data.call.operatorId).toBe('op001');

    h.parts.operators.login('op002');
    const second = await caller('081234567002');
    const [leg2] = await ringingAt(h, 'PJSIP/op002');
    h.telephony.answerOriginated(leg2!);
    const connected = await op2.until<CallFrame>(callUpdate(second, 'connected'), 'op002 connected');
    // A queue snapshot after everything above reaches both: op001 has read as far as op002 has.
    await h.clock.advance(200);
    await op1.until((f) => f.type === 'queue.snapshot' && seq(f) > seq(connected), 'op001 reads past the second call');

    expect(op1.callIds()).toEqual(new Set([first]));
    expect(op2.callIds()).toEqual(new Set([second]));
    const later = await listen(port, operatorToken('op001'));
    const snapshot = await later.snapshot();
    expect(snapshot.data.calls.map((c) => c.id)).toEqual([first]);
  });

  it('given a live call, when a fix of it is published, then a supervisor listener receives it, and a new listener finds its stored fixes in the snapshot', async () => {
    const port = await start();
    const sup = await listen(port, TEST_SUPERVISOR_TOKEN);
    const callId = await caller('081234567001');
    await sup.until<CallFrame>(callUpdate(callId, 'queued'), 'the call queued');
    const fix = storedFix(callId);
    h.events.publish('location.fix', { callId, at: h.clock.now(), fix });
    const received = await sup.until((f) => f.type === 'location.fix', 'the fix');
    expect(received.data).toEqual({ callId, fix });

    // Stored as the location capability stores a fix it takes in.
    const stored = storedFix(callId);
    new LocationRepository(h.database.db).addFix({
      ...stored, geometry: '{}', fixedAt: Date.parse(stored.fixedAt!), receivedAt: Date.parse(stored.receivedAt),
      kecamatanTouched: JSON.stringify(stored.kecamatanTouched), raw: '',
    });
    const fresh = await listen(port, TEST_SUPERVISOR_TOKEN);
    const snapshot = await fresh.snapshot();
    expect(snapshot.data.calls.map((c) => c.id)).toEqual([callId]);
    expect(snapshot.data.fixes).toEqual([stored]);
  });

  it('given a listener that lost its connection, when it reconnects with Last-Event-ID, then it gets every event it missed, once, and no snapshot', async () => {
    const port = await start();
    const reference = await listen(port, TEST_SUPERVISOR_TOKEN);
    const dropped = await listen(port, TEST_SUPERVISOR_TOKEN);
    const channel = h.telephony.arrive({ callerNumber: '081234567001' });
    const callId = h.repo.findByChannelId(channel.id)!.id;
    const lastSeen = await dropped.until<CallFrame>(callUpdate(callId, 'arriving'), 'the arrival');
    dropped.close();

    h.telephony.finishPlayback(await waitFor(() => h.telephony.lastPlayback(channel.id), 'greeting'));
    await reference.until<CallFrame>(callUpdate(callId, 'queued'), 'the call queued');
    h.events.publish('location.fix', { callId, at: h.clock.now(), fix: storedFix(callId) });
    await h.clock.advance(200);
    const last = await reference.until((f) => f.type === 'queue.snapshot' && seq(f) > seq(lastSeen), 'the queue after the fix');
    const missed = reference.frames.slice(reference.frames.findIndex((f) => f.id === lastSeen.id) + 1);
    expect(missed.map((f) => f.type)).toEqual(expect.arrayContaining(['call.updated', 'location.fix', 'queue.snapshot']));

    const back = await listen(port, TEST_SUPERVISOR_TOKEN, lastSeen.id);
    await back.until((f) => f.id === last.id, 'the replay up to now');
    expect(back.frames).toEqual(missed);
    expect(seq(back.frames[0]!)).toBe(seq(lastSeen) + 1);

    const stranger = await listen(port, TEST_SUPERVISOR_TOKEN, 'deadbeef-1');
    const snapshot = await stranger.snapshot();
    expect(snapshot.data.calls.map((c) => c.id)).toEqual([callId]);
    expect(snapshot.data.fixes).toEqual([]);
  });

  it('given no token, then 401; given the admin token, then 403', async () => {
    await start();
    expect((await app!.inject({ method: 'GET', url: '/api/events' })).statusCode).toBe(401);
    const admin = await app!.inject({ method: 'GET', url: '/api/events', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(admin.statusCode).toBe(403);
    expect(admin.json()).toMatchObject({ error: 'forbidden' });
  });
});
