import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature on every webhook siaga112 sends to an agency, in Stripe's shape so receivers can
 * reuse what they know:
 *
 *   siaga112-signature: t=1718000000,v1=<hex HMAC-SHA256(key, "1718000000.<raw body>")>
 *
 * The timestamp is inside the signed text, so a captured request cannot be replayed later with a
 * fresh `t`; the receiver rejects anything older than its tolerance and deduplicates the rest by
 * the idempotency key. Receivers must verify the raw body bytes before parsing JSON: re-serialised
 * JSON rarely matches byte for byte.
 */
export const WEBHOOK_SIGNATURE_HEADER = 'siaga112-signature';
/** Same key on every retry of one event: at-least-once delivery, exactly-once from the receiver's side. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

export const WebhookVerdict = {
  valid: 'valid',
  /** Signed with this key, but the timestamp is outside the tolerance (a replay, or a skewed clock). */
  stale: 'stale',
  /** Well-formed, but no v1 signature matches this key and body. */
  invalid: 'invalid',
  /** Not a signature header at all: missing t or v1, duplicated t, non-hex signature. */
  malformed: 'malformed',
} as const;
export type WebhookVerdict = (typeof WebhookVerdict)[keyof typeof WebhookVerdict];

function hmac(body: string, key: string, timestampSec: number): Buffer {
  return createHmac('sha256', key).update(`${timestampSec}.${body}`, 'utf8').digest();
}

/**
 * The header value for `body` signed with the agency's key at `timestampSec` (whole seconds on
 * the injected clock). Refuses an empty key: an HMAC over an empty key is forgeable by anyone.
 */
export function signWebhook(body: string, key: string, timestampSec: number): string {
  if (key.length === 0) throw new RangeError('a webhook signing key must not be empty');
  if (!Number.isSafeInteger(timestampSec) || timestampSec < 0) throw new RangeError(`timestamp must be whole seconds ≥ 0, got ${timestampSec}`);
  return `t=${timestampSec},v1=${hmac(body, key, timestampSec).toString('hex')}`;
}

type ParsedHeader = { timestampSec: number; signatures: Buffer[] };

/**
 * Parses `t=<digits>,v1=<64 hex>[,v1=…]`. Several v1 values are allowed (a sender rotating keys
 * signs with both); other schemes (v0, a future v2) are ignored so the format can grow. Hex is
 * accepted in either case, since it decodes to the same bytes.
 */
function parseHeader(header: string): ParsedHeader | null {
  let timestampSec: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === 't') {
      if (timestampSec !== null || !/^\d{1,15}$/.test(value)) return null;
      timestampSec = Number(value);
    } else if (name === 'v1') {
      if (!/^[0-9a-fA-F]{64}$/.test(value)) return null;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestampSec === null || signatures.length === 0) return null;
  return { timestampSec, signatures };
}

/**
 * Checks a received header against the raw body and the shared key, at `nowSec`. The signature
 * is checked before the time, so 'stale' is only said of a request this key really signed: an
 * attacker learns nothing from the answer. Comparison is constant-time (timingSafeEqual).
 * A timestamp further than `toleranceSec` in the past or the future is stale; exactly at the
 * tolerance is still valid.
 */
export function verifyWebhook(header: string, body: string, key: string, nowSec: number, toleranceSec = 300): WebhookVerdict {
  const parsed = parseHeader(header);
  if (!parsed) return WebhookVerdict.malformed;
  if (key.length === 0) return WebhookVerdict.invalid;
  const expected = hmac(body, key, parsed.timestampSec);
  // Every candidate is compared, with no early exit, so timing does not reveal which one matched.
  let matched = false;
  for (const candidate of parsed.signatures) if (timingSafeEqual(expected, candidate)) matched = true;
  if (!matched) return WebhookVerdict.invalid;
  return Math.abs(nowSec - parsed.timestampSec) > toleranceSec ? WebhookVerdict.stale : WebhookVerdict.valid;
}

/**
 * The idempotency key of one dispatch event: derived, not random, so a retry after a crash sends
 * the same key and the receiver drops the duplicate. `eventSeq` is the event's position in the
 * dispatch's append-only log.
 */
export function idempotencyKey(dispatchId: string, eventSeq: number): string {
  if (dispatchId.length === 0) throw new RangeError('dispatchId must not be empty');
  if (!Number.isSafeInteger(eventSeq) || eventSeq < 0) throw new RangeError(`eventSeq must be an integer ≥ 0, got ${eventSeq}`);
  return `dispatch-${dispatchId}-${eventSeq}`;
}
