import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';

const KEY_MESSAGE = 'SIAGA112_SECRETS_KEY must be 32 bytes, as 64 hex characters or base64 (e.g. `openssl rand -hex 32`)';

/** The master key from the environment: 32 bytes as hex or base64(url). The value never appears in a message. */
export const secretsKeySchema = z.string().trim().transform((text, ctx) => {
  const bytes = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(text) ? Buffer.from(text.replaceAll('-', '+').replaceAll('_', '/'), 'base64') : null;
  if (!bytes || bytes.length !== 32) {
    ctx.addIssue({ code: 'custom', message: KEY_MESSAGE });
    return z.NEVER;
  }
  return bytes;
});

/** A sealed value that cannot be opened: malformed, another key, or altered. */
export class SecretBoxError extends Error {}

/**
 * Encryption at rest for secrets siaga112 must use itself (an agency's webhook signing key: an
 * HMAC needs the key, so it cannot be hashed). AES-256-GCM with a fresh IV per seal; the tag makes
 * any change to the stored text, or opening it for another row (`aad`), fail instead of yielding
 * a wrong key.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new RangeError('a secret box key is 32 bytes');
  }

  seal(plaintext: string, aad = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  open(sealed: string, aad = ''): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1' || !parts.slice(1).every((p) => /^[A-Za-z0-9_-]*$/.test(p))) throw new SecretBoxError('sealed secret is malformed');
    const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer];
    if (iv.length !== 12 || tag.length !== 16) throw new SecretBoxError('sealed secret is malformed');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('sealed secret does not open with this key (wrong SIAGA112_SECRETS_KEY, or the value was altered)');
    }
  }
}
