import { describe, expect, it } from 'vitest';
import { checkPromptWav } from '../../../src/ivr/wav-check.js';
import { wav } from '../../helpers/wav.js';

describe('uploaded prompt recordings', () => {
  it('given 8 kHz mono 16-bit PCM or G.711, then it is accepted with its duration', () => {
    expect(checkPromptWav(wav({ seconds: 2.5 }))).toEqual({ info: { encoding: 'pcm16', channels: 1, sampleRate: 8000, durationMs: 2500 }, problems: [] });
    expect(checkPromptWav(wav({ code: 6, bits: 8 })).info?.encoding).toBe('alaw');
    expect(checkPromptWav(wav({ code: 7, bits: 8 })).info?.encoding).toBe('ulaw');
  });

  it('given CD-quality stereo, then every problem is named', () => {
    expect(checkPromptWav(wav({ rate: 44100, channels: 2, seconds: 0.1 })).problems).toEqual([
      'sample rate must be 8000 Hz (is 44100)', 'must be mono (has 2 channels)',
    ]);
  });

  it('given a recording longer than 30 s, then it is refused', () => {
    expect(checkPromptWav(wav({ seconds: 31 })).problems).toEqual(['too long: 31.0 s (at most 30 s)']);
  });

  it('given an MP3 or a truncated file, then it is not a WAV file', () => {
    expect(checkPromptWav(Buffer.from('ID3\u0003 some mp3 bytes that are long enough to be checked..........')).problems).toEqual(['not a WAV file (RIFF/WAVE header missing)']);
    expect(checkPromptWav(wav().subarray(0, 40)).problems).toEqual(['not a WAV file (RIFF/WAVE header missing)']);
  });

  it('given 8-bit unsigned PCM, then the encoding is refused', () => {
    expect(checkPromptWav(wav({ bits: 8 })).problems).toEqual(['encoding must be 16-bit PCM, A-law or µ-law (format 1, 8 bits)']);
  });
});
