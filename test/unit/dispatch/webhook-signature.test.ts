import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { idempotencyKey, signWebhook, verifyWebhook } from '../../../src/dispatch/webhook-signature.js';

const key = 'whsec-damkar-test-key';
const body = JSON.stringify({ dispatchId: 'd-42', event: 'requested', agency: 'damkar' });
const t = 1_718_000_000;
const hexOf = (header: string) => header.split('v1=')[1]!;

describe('signing a webhook', () => {
  it('given a body, key and time, then the header is t=<ts>,v1=<lower-case hex HMAC-SHA256 over "<ts>.<body>">', () => {
    const expected = createHmac('sha256', key).update(`${t}.${body}`).digest('hex');
    expect(signWebhook(body, key, t)).toBe(`t=${t},v1=${expected}`);
    expect(hexOf(signWebhook(body, key, t))).toMatch(/^[0-9a-f]{64}$/);
  });

  it('given the same inputs twice, then the header is the same (deterministic)', () => {
    expect(signWebhook(body, key, t)).toBe(signWebhook(body, key, t));
  });

  it('given an empty key or a time that is not whole seconds, then signing is refused', () => {
    expect(() => signWebhook(body, '', t)).toThrow(RangeError);
    expect(() => signWebhook(body, key, 1.5)).toThrow(RangeError);
    expect(() => signWebhook(body, key, -1)).toThrow(RangeError);
  });
});

describe('verifying a webhook', () => {
  const header = signWebhook(body, key, t);

  it('given a header we signed, when verified at the same time, then it is valid', () => {
    expect(verifyWebhook(header, body, key, t)).toBe('valid');
  });

  it('given a body changed after signing, then it is invalid', () => {
    expect(verifyWebhook(header, body.replace('damkar', 'polisi'), key, t)).toBe('invalid');
    expect(verifyWebhook(header, `${body} `, key, t)).toBe('invalid');
  });

  it('given another agency\'s key, then it is invalid', () => {
    expect(verifyWebhook(header, body, 'whsec-polisi-key', t)).toBe('invalid');
    expect(verifyWebhook(header, body, '', t)).toBe('invalid');
  });

  it('given a timestamp rewritten to look fresh, then it is invalid (the time is inside the signature)', () => {
    expect(verifyWebhook(header.replace(`t=${t}`, `t=${t + 1000}`), body, key, t + 1000)).toBe('invalid');
  });

  it('given a request exactly at the tolerance, then it is valid; one second beyond, past or future, then it is stale', () => {
    expect(verifyWebhook(header, body, key, t + 300)).toBe('valid');
    expect(verifyWebhook(header, body, key, t - 300)).toBe('valid');
    expect(verifyWebhook(header, body, key, t + 301)).toBe('stale');
    expect(verifyWebhook(header, body, key, t - 301)).toBe('stale');
  });

  it('given a custom tolerance, then it is used', () => {
    expect(verifyWebhook(header, body, key, t + 60, 30)).toBe('stale');
    expect(verifyWebhook(header, body, key, t + 30, 30)).toBe('valid');
  });

  it('given an old request with a wrong signature, then it is invalid rather than stale (stale is only said of real signatures)', () => {
    expect(verifyWebhook(header, body, 'other-key', t + 10_000)).toBe('invalid');
  });

  it('given the signature in upper-case hex, then it is still valid (same bytes)', () => {
    expect(verifyWebhook(`t=${t},v1=${hexOf(header).toUpperCase()}`, body, key, t)).toBe('valid');
  });

  it('given several v1 signatures during a key rotation, then one matching is enough', () => {
    const old = hexOf(signWebhook(body, 'old-key', t));
    expect(verifyWebhook(`t=${t},v1=${old},v1=${hexOf(header)}`, body, key, t)).toBe('valid');
    expect(verifyWebhook(`t=${t},v1=${old}`, body, key, t)).toBe('invalid');
  });

  it('given an unknown scheme beside v1, or spaces after the commas, then it is ignored', () => {
    expect(verifyWebhook(`t=${t},v0=abc,v1=${hexOf(header)}`, body, key, t)).toBe('valid');
    expect(verifyWebhook(`t=${t}, v1=${hexOf(header)}`, body, key, t)).toBe('valid');
  });

  it('given headers that are not signatures, then each is malformed', () => {
    const hex = hexOf(header);
    const malformed = [
      '', 'garbage', `v1=${hex}`, `t=${t}`, `t=${t},v0=${hex}`, `t=abc,v1=${hex}`, `t=-5,v1=${hex}`, `t=,v1=${hex}`,
      `t=${t},t=${t},v1=${hex}`, `t=${t},v1=${hex.slice(0, 63)}`, `t=${t},v1=${hex}0`, `t=${t},v1=${hex.replace(/^../, 'zz')}`,
      `t=${t},v1=`, `t=${t},v1=${hex},`, `t=${t};v1=${hex}`, `=${t},v1=${hex}`, `t=${t},v1=${Buffer.from(hex, 'hex').toString('base64')}`,
    ];
    for (const value of malformed) expect(verifyWebhook(value, body, key, t), value).toBe('malformed');
  });
});

describe('idempotency key', () => {
  it('given a dispatch and an event number, then the key is derived from both and stable across retries', () => {
    expect(idempotencyKey('42', 3)).toBe('dispatch-42-3');
    expect(idempotencyKey('42', 3)).toBe(idempotencyKey('42', 3));
    expect(idempotencyKey('42', 4)).not.toBe(idempotencyKey('42', 3));
  });

  it('given an empty dispatch id or a bad event number, then it is refused', () => {
    expect(() => idempotencyKey('', 1)).toThrow(RangeError);
    expect(() => idempotencyKey('42', -1)).toThrow(RangeError);
    expect(() => idempotencyKey('42', 1.5)).toThrow(RangeError);
  });
});
