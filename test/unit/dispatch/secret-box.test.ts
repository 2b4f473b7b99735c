import { describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError, secretsKeySchema } from '../../../src/dispatch/secret-box.js';

const box = new SecretBox(Buffer.alloc(32, 1));

describe('secret box', () => {
  it('given a sealed key, when opened with the same master key and row, then the plaintext comes back; two seals differ', () => {
    const sealed = box.seal('signing-key-ü', 'damkar');
    expect(box.open(sealed, 'damkar')).toBe('signing-key-ü');
    expect(box.seal('signing-key-ü', 'damkar')).not.toBe(sealed);
  });

  it('given another master key, another row or an altered value, then it does not open and the error shows neither text', () => {
    const sealed = box.seal('signing-key', 'damkar');
    const attempts = [
      () => new SecretBox(Buffer.alloc(32, 2)).open(sealed, 'damkar'),
      () => box.open(sealed, 'polisi'),
      () => box.open(`${sealed.slice(0, -2)}AA`, 'damkar'),
      () => box.open('v2.a.b.c', 'damkar'),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(SecretBoxError);
      try {
        attempt();
      } catch (error) {
        expect(String(error)).not.toContain('signing-key');
        expect(String(error)).not.toContain(sealed);
      }
    }
  });

  it('given the environment value, then 64 hex or base64 of 32 bytes is taken and anything else refused', () => {
    expect(secretsKeySchema.parse('ab'.repeat(32)).length).toBe(32);
    expect(secretsKeySchema.parse(Buffer.alloc(32, 9).toString('base64')).length).toBe(32);
    expect(secretsKeySchema.safeParse('ab'.repeat(31)).success).toBe(false);
    expect(secretsKeySchema.safeParse('not a key').success).toBe(false);
  });
});
