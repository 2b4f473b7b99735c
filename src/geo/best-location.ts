import { z } from 'zod';
import { type StoredFix, storedFixSchema } from './stored-fix.js';

export const bestLocationRuleSchema = z.enum(['operator-confirmed', 'most-accurate-recent', 'most-recent']);

/** The best location of a call and which rule chose it (null: no fix yet). */
export const bestLocationSchema = z.object({
  fix: storedFixSchema,
  rule: bestLocationRuleSchema,
  /** How old the fix is now: from the device's fix time, else from when we received it. */
  ageMs: z.number().int(),
}).nullable();
export type BestLocation = z.infer<typeof bestLocationSchema>;

/**
 * When a fix describes the caller's position: the device's time, else our receipt; never later
 * than our receipt (a handset clock hours ahead, or local time read as UTC, would otherwise keep
 * a fix "fresh" for ever).
 */
export function fixTime(fix: StoredFix): number {
  const receivedAt = Date.parse(fix.receivedAt);
  return fix.fixedAt === null ? receivedAt : Math.min(Date.parse(fix.fixedAt), receivedAt);
}

/**
 * A call's best location, derived whenever it is read and never stored: what the operator
 * entered or confirmed wins (they spoke to the caller; the one they gave last, by when they gave
 * it, since a later word corrects an earlier one, even when it confirms an older fix); otherwise
 * the most accurate fix no older than `maxAgeMs` (a fresh 10 m GNSS fix beats a 2 km cell);
 * otherwise, when everything is old or without accuracy, the most recent. Civic-only fixes count
 * as least accurate. `fixes` come in the order received.
 */
export function bestLocation(fixes: readonly StoredFix[], now: number, maxAgeMs: number): BestLocation {
  if (fixes.length === 0) return null;
  const operatorWord = fixes.filter((fix) => fix.source === 'operator')
    .reduce<StoredFix | null>((last, fix) => (last === null || Date.parse(fix.receivedAt) >= Date.parse(last.receivedAt) ? fix : last), null);
  if (operatorWord) return chosen(operatorWord, 'operator-confirmed', now);
  const newestFirst = fixes.map((fix, order) => ({ fix, order })).sort((a, b) => fixTime(b.fix) - fixTime(a.fix) || b.order - a.order).map(({ fix }) => fix);
  const recent = newestFirst.filter((fix) => now - fixTime(fix) <= maxAgeMs && fix.accuracyM !== null && fix.latitude !== null);
  if (recent.length > 0) {
    const mostAccurate = recent.reduce((best, fix) => (fix.accuracyM! < best.accuracyM! ? fix : best));
    return chosen(mostAccurate, 'most-accurate-recent', now);
  }
  return chosen(newestFirst[0]!, 'most-recent', now);
}

function chosen(fix: StoredFix, rule: z.infer<typeof bestLocationRuleSchema>, now: number): BestLocation {
  return { fix, rule, ageMs: Math.max(0, Math.round(now - fixTime(fix))) };
}

/** A call's location as clients read it: every fix, in the order received, and the best now. */
export const callLocationSchema = z.object({ fixes: z.array(storedFixSchema), best: bestLocationSchema });
export type CallLocation = z.infer<typeof callLocationSchema>;
