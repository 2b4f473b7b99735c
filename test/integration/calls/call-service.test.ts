import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, FALLBACK } from '../../helpers/core.js';
import { waitFor } from '../../helpers/wait-for.js';

let harness: ReturnType<typeof coreHarness>;
afterEach(() => harness?.close());

const eventTypes = (h: typeof harness, callId: string) => h.repo.events(callId).map((e) => e.type);

describe('call service with a fake Asterisk', () => {
  it('given a caller dials 112, then the row exists before the channel is answered', () => {
    harness = coreHarness();
    const channel = harness.telephony.arrive({ callerNumber: '0811111' });
    // StasisStart handling is synchronous up to the first ARI request: the row is already there.
    const row = harness.repo.findByChannelId(channel.id);
    expect(row).toMatchObject({ callerNumber: '0811111', dialledNumber: '112', state: 'arriving', answeredAt: null });
  });

  it('given a caller, when the greeting ends and the caller hangs up, then the record is complete and in order', async () => {
    harness = coreHarness();
    const channel = harness.telephony.arrive();
    const playbackId = await waitFor(() => harness.telephony.lastPlayback(channel.id), 'greeting playback');
    harness.telephony.finishPlayback(playbackId);
    await waitFor(() => harness.telephony.commandsFor(channel.id).includes('moh'), 'music on hold');
    harness.telephony.callerHangsUp(channel.id);
    const row = await waitFor(() => harness.repo.findByChannelId(channel.id)?.endedAt && harness.repo.findByChannelId(channel.id), 'call end');
    expect(row).toMatchObject({ state: 'abandoned', endReason: 'caller-hangup' });
    expect(row.arrivedAt).toBeLessThanOrEqual(row.answeredAt!);
    expect(row.answeredAt!).toBeLessThanOrEqual(row.endedAt!);
    expect(eventTypes(harness, row.id)).toEqual(['arrived', 'answered', 'prompt-started', 'prompt-finished', 'enqueued', 'caller-hangup']);
    expect(harness.telephony.commandsFor(channel.id)).toEqual(['answer', 'play', 'moh']);
  });

  it('given the dialled alias 110, then the record says 110', () => {
    harness = coreHarness();
    const channel = harness.telephony.arrive({ extension: '110' }, ['dialled=110']);
    expect(harness.repo.findByChannelId(channel.id)?.dialledNumber).toBe('110');
  });

  it('given answering fails inside Asterisk, then the caller is handed to the fallback and the record says why', async () => {
    harness = coreHarness();
    harness.telephony.failNext('answer', 500);
    const channel = harness.telephony.arrive();
    const row = await waitFor(() => harness.repo.findByChannelId(channel.id)?.state === 'fallback' && harness.repo.findByChannelId(channel.id), 'fallback');
    expect(row).toMatchObject({ endReason: 'fallback', fallbackReason: 'error' });
    expect(harness.telephony.commands.at(-1)).toEqual({ op: 'continue', channelId: channel.id, target: FALLBACK });
    expect(harness.service.liveCalls).toBe(0);
  });

  it('given ARI failing the first two hand-offs to the fallback, then the third attempt moves the caller', async () => {
    harness = coreHarness();
    harness.telephony.failNext('answer', 500);
    harness.telephony.failNext('continue', 503, 2);
    const channel = harness.telephony.arrive();
    // The retries wait 250 ms, then 500 ms.
    await harness.clock.advance(750);
    const row = await waitFor(() => harness.repo.findByChannelId(channel.id)?.state === 'fallback' && harness.repo.findByChannelId(channel.id), 'fallback');
    expect(row.fallbackReason).toBe('error');
    expect(harness.telephony.commandsFor(channel.id)).toEqual(['continue']);
  });

  it('given a caller who hangs up during the greeting, then the call is abandoned, not sent to the fallback', async () => {
    harness = coreHarness();
    const channel = harness.telephony.arrive();
    await waitFor(() => harness.telephony.lastPlayback(channel.id), 'greeting');
    harness.telephony.callerHangsUp(channel.id);
    const row = await waitFor(() => harness.repo.findByChannelId(channel.id)?.endedAt && harness.repo.findByChannelId(channel.id), 'end');
    expect(row).toMatchObject({ state: 'abandoned', endReason: 'caller-hangup', fallbackReason: null });
    expect(harness.telephony.commandsFor(channel.id)).not.toContain('continue');
  });

  it('given the live-call limit of 2, when 4 callers arrive, then 2 are ours and 2 go to the fallback', async () => {
    harness = coreHarness({ maxLiveCalls: 2 });
    const channels = [1, 2, 3, 4].map(() => harness.telephony.arrive());
    await waitFor(() => channels.every((c) => harness.repo.findByChannelId(c.id)?.state !== 'arriving'), 'all handled');
    const rows = channels.map((c) => harness.repo.findByChannelId(c.id)!);
    expect(rows.map((r) => r.fallbackReason)).toEqual([null, null, 'admission', 'admission']);
    expect(harness.repo.events(rows[2]!.id).at(-1)).toMatchObject({ type: 'fallback' });
    expect(JSON.parse(harness.repo.events(rows[2]!.id).at(-1)!.detail!)).toMatchObject({ reason: 'admission', detail: 'live calls 2 >= 2' });
  });

  it('given a call that reaches the maximum duration, then siaga112 hangs up and records it', async () => {
    harness = coreHarness({ maxCallSeconds: 3600 });
    const channel = harness.telephony.arrive();
    await harness.clock.advance(3_599_999);
    expect(harness.repo.findByChannelId(channel.id)?.endedAt).toBeNull();
    await harness.clock.advance(1);
    const row = await waitFor(() => harness.repo.findByChannelId(channel.id)?.endedAt && harness.repo.findByChannelId(channel.id), 'max duration');
    expect(row).toMatchObject({ state: 'ended', endReason: 'max-duration' });
    await waitFor(() => harness.telephony.commandsFor(channel.id).includes('hangup') || !harness.telephony.channels.has(channel.id), 'hangup sent');
  });

  it('given a drain with a live call, then new callers go to the fallback and the drain waits for the live call', async () => {
    harness = coreHarness();
    const live = harness.telephony.arrive();
    await waitFor(() => harness.telephony.lastPlayback(live.id), 'greeting');
    let drained = false;
    const drain = harness.service.drain(10_000).then(() => { drained = true; });
    const late = harness.telephony.arrive();
    await waitFor(() => harness.repo.findByChannelId(late.id)?.fallbackReason === 'draining', 'late call to fallback');
    expect(drained).toBe(false);
    harness.telephony.callerHangsUp(live.id);
    await drain;
    expect(harness.repo.findByChannelId(live.id)).toMatchObject({ endReason: 'caller-hangup' });
  });

  it('given a drain that times out, then the calls still live are handed to the fallback', async () => {
    harness = coreHarness();
    const live = harness.telephony.arrive();
    await waitFor(() => harness.telephony.lastPlayback(live.id), 'greeting');
    let drained = false;
    const drain = harness.service.drain(30_000).then(() => { drained = true; });
    await harness.clock.advance(29_999);
    expect(drained).toBe(false);
    expect(harness.repo.findByChannelId(live.id)?.fallbackReason).toBeNull();
    await harness.clock.advance(1);
    await drain;
    expect(harness.repo.findByChannelId(live.id)).toMatchObject({ state: 'fallback', fallbackReason: 'draining' });
  });
});

describe('every StasisStart ends in our flow or the fallback', () => {
  it('given the database failing on the very first lookup of a new channel, then the caller is sent to the fallback', async () => {
    harness = coreHarness();
    const lookup = harness.repo.findByChannelId.bind(harness.repo);
    harness.repo.findByChannelId = () => {
      throw new Error('SQLITE_IOERR: disk I/O error');
    };
    const channel = harness.telephony.arrive();
    harness.repo.findByChannelId = lookup;
    await waitFor(() => harness.telephony.commandsFor(channel.id).includes('continue'), 'sent to the fallback');
    expect(harness.telephony.commandsFor(channel.id)).toEqual(['continue']);
  });

  it('given a StasisStart Asterisk sent in a shape siaga112 cannot read, then the channel it names goes to the fallback', async () => {
    harness = coreHarness();
    harness.telephony.channels.set('unreadable-1', {
      id: 'unreadable-1', name: 'PJSIP/citizens-7', state: 'Ring', callerNumber: '0811', callerName: '', context: 'emergency', extension: '112', creationTime: new Date(harness.clock.now()).toISOString(), language: 'id',
    });
    harness.telephony.emit({ type: 'StasisStartUnreadable', channelId: 'unreadable-1', timestamp: new Date(harness.clock.now()).toISOString() });
    await waitFor(() => harness.telephony.commandsFor('unreadable-1').includes('continue'), 'sent to the fallback');
  });
});

describe('re-adoption after a restart', () => {
  it('given a channel in the app that siaga112 never recorded, then it goes to the fallback at once', async () => {
    harness = coreHarness();
    // A channel that entered Stasis while no siaga112 was listening.
    harness.telephony.channels.set('orphan', {
      id: 'orphan', name: 'PJSIP/citizens-9', state: 'Ring', callerNumber: '0819', callerName: '',
      context: 'emergency', extension: '112', creationTime: new Date(harness.clock.now()).toISOString(), language: 'id',
    });
    harness.telephony.appArgs.set('orphan', ['dialled=112']);
    await harness.reconciler.run('full');
    expect(harness.repo.findByChannelId('orphan')).toMatchObject({ state: 'fallback', fallbackReason: 'orphaned', dialledNumber: '112' });
    expect(harness.telephony.commandsFor('orphan')).toEqual(['continue']);
  });

  it('given an open record whose channel is still live, then the call is re-adopted and keeps its row', async () => {
    harness = coreHarness();
    const channel = harness.telephony.arrive();
    const playbackId = await waitFor(() => harness.telephony.lastPlayback(channel.id), 'greeting');
    harness.telephony.finishPlayback(playbackId);
    await waitFor(() => harness.repo.findByChannelId(channel.id)?.state === 'queued', 'queued');
    const callId = harness.repo.findByChannelId(channel.id)!.id;
    harness.crashAndRestart();
    expect(harness.service.liveCalls).toBe(0);
    await harness.reconciler.run('full');
    expect(harness.service.liveCalls).toBe(1);
    expect(harness.repo.findByChannelId(channel.id)).toMatchObject({ id: callId, state: 'queued', endedAt: null });
  });

  it('given an open record whose channel is gone after a restart, then the caller is recorded as having given up, ended while down, at the end Asterisk knows', async () => {
    harness = coreHarness();
    const channel = harness.telephony.arrive();
    await waitFor(() => harness.telephony.lastPlayback(channel.id), 'greeting');
    harness.crashAndRestart();
    harness.telephony.channels.delete(channel.id);
    const callId = harness.repo.findByChannelId(channel.id)!.id;
    // The CDR import already read the caller's end from Asterisk's record.
    const trueEnd = harness.clock.now() - 4000;
    harness.repo.change(callId, { channelEndedAt: trueEnd }, { type: 'channel-ended', at: trueEnd });
    await harness.reconciler.run('full');
    const row = harness.repo.findByChannelId(channel.id)!;
    expect(row).toMatchObject({ state: 'abandoned', endReason: 'ended-while-down', endedAt: trueEnd });
    expect(harness.repo.events(row.id).at(-1)).toMatchObject({ type: 'caller-hangup', detail: JSON.stringify({ via: 'reconcile', lastState: 'ivr' }) });
  });
});
