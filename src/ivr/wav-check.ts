/** What an uploaded prompt recording is, read from its WAV header. */
export interface WavInfo {
  encoding: 'pcm16' | 'alaw' | 'ulaw';
  channels: number;
  sampleRate: number;
  durationMs: number;
}

/** Longest recording accepted as a prompt: an emergency IVR has no room for long messages. */
export const MAX_PROMPT_MS = 30_000;

/**
 * Reads a WAV file's format and checks it can be a prompt as it is: 8 kHz, mono, 16-bit PCM or
 * G.711 (A-law/µ-law), between 0 and 30 s. Returns the problems in words; none means accepted.
 */
export function checkPromptWav(file: Buffer): { info?: WavInfo; problems: string[] } {
  if (file.length < 44 || file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') {
    return { problems: ['not a WAV file (RIFF/WAVE header missing)'] };
  }
  let offset = 12;
  let format: { code: number; channels: number; sampleRate: number; bits: number } | undefined;
  let dataBytes: number | undefined;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && size >= 16 && body + 16 <= file.length) {
      format = { code: file.readUInt16LE(body), channels: file.readUInt16LE(body + 2), sampleRate: file.readUInt32LE(body + 4), bits: file.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      dataBytes = Math.min(size, file.length - body);
      break;
    }
    offset = body + size + (size % 2);
  }
  if (!format) return { problems: ['no fmt chunk'] };
  if (dataBytes === undefined) return { problems: ['no data chunk'] };
  const encoding = format.code === 1 && format.bits === 16 ? 'pcm16' : format.code === 6 && format.bits === 8 ? 'alaw' : format.code === 7 && format.bits === 8 ? 'ulaw' : undefined;
  const problems: string[] = [];
  if (!encoding) problems.push(`encoding must be 16-bit PCM, A-law or µ-law (format ${format.code}, ${format.bits} bits)`);
  if (format.sampleRate !== 8000) problems.push(`sample rate must be 8000 Hz (is ${format.sampleRate})`);
  if (format.channels !== 1) problems.push(`must be mono (has ${format.channels} channels)`);
  const bytesPerSecond = format.sampleRate * format.channels * Math.max(1, format.bits / 8);
  const durationMs = bytesPerSecond > 0 ? Math.round((dataBytes / bytesPerSecond) * 1000) : 0;
  if (durationMs <= 0) problems.push('no audio');
  if (durationMs > MAX_PROMPT_MS) problems.push(`too long: ${(durationMs / 1000).toFixed(1)} s (at most ${MAX_PROMPT_MS / 1000} s)`);
  if (!encoding) return { problems };
  return { info: { encoding, channels: format.channels, sampleRate: format.sampleRate, durationMs }, problems };
}
