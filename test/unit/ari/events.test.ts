import { describe, expect, it } from 'vitest';
import { parseChannels, toTelephonyEvent } from '../../../src/ari/events.js';
import { namedArg } from '../../../src/calls/stasis-args.js';

const channel = {
  id: '1795824045.2', name: 'PJSIP/citizens-00000002', state: 'Ring',
  caller: { name: '', number: '081234567890' }, connected: { name: '', number: '' }, accountcode: '',
  dialplan: { context: 'emergency', exten: '112', priority: 3, app_name: 'Stasis', app_data: 'siaga112,dialled=112' },
  creationtime: '2026-11-28T00:00:45.177+0000', language: 'id',
};

describe('ARI events', () => {
  it('given a StasisStart from Asterisk, then it becomes a typed event with the caller and args', () => {
    const event = toTelephonyEvent({ type: 'StasisStart', timestamp: 't', args: ['dialled=112'], channel, application: 'siaga112' });
    expect(event).toEqual({
      type: 'StasisStart', timestamp: 't', args: ['dialled=112'],
      channel: expect.objectContaining({ id: '1795824045.2', callerNumber: '081234567890', extension: '112', language: 'id' }),
    });
  });

  it('given a PlaybackFinished, then the playback id and state are kept', () => {
    expect(toTelephonyEvent({ type: 'PlaybackFinished', timestamp: 't', playback: { id: 'p1', media_uri: 'sound:x', target_uri: 'channel:c', state: 'failed' } }))
      .toEqual({ type: 'PlaybackFinished', playbackId: 'p1', targetUri: 'channel:c', state: 'failed', timestamp: 't' });
  });

  it('given an event type siaga112 does not use, then it is ignored', () => {
    expect(toTelephonyEvent({ type: 'ChannelVarset', timestamp: 't' })).toBeUndefined();
  });

  it('given a known type with a malformed body, then parsing throws instead of passing garbage on', () => {
    expect(() => toTelephonyEvent({ type: 'StasisStart', timestamp: 't', channel: { id: 1 } })).toThrow();
  });

  it('given GET /channels output, then only well-formed channels are returned with their Stasis app', () => {
    expect(parseChannels([channel, { id: 'broken' }])).toEqual([
      expect.objectContaining({ appName: 'Stasis', appData: 'siaga112,dialled=112', snapshot: expect.objectContaining({ id: channel.id }) }),
    ]);
  });

  it('given Stasis args, then a named argument is read by name', () => {
    expect(namedArg(['dialled=110', 'x=1'], 'dialled')).toBe('110');
    expect(namedArg([], 'dialled')).toBeUndefined();
  });
});
