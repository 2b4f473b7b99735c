import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bestLocation } from '../../../src/geo/best-location.js';
import type { StoredFix } from '../../../src/geo/stored-fix.js';

const T0 = Date.parse('2026-12-02T06:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const MAX_AGE = 300_000;

/** A fix received at `receivedAt` (ms after T0), taken `ageAtReceipt` ms before that. */
function fix(source: StoredFix['source'], receivedAt: number, accuracyM: number | null, options: { fixedAt?: number | null; civicOnly?: boolean } = {}): StoredFix {
  return {
    id: randomUUID(), callId: 'call-1', source, shape: options.civicOnly ? 'civic' : accuracyM === null ? 'point' : 'circle',
    latitude: options.civicOnly ? null : -6.24, longitude: options.civicOnly ? null : 107.01, accuracyM, confidencePct: null,
    altitudeM: null, verticalAccuracyM: null, method: 'unknown', ellipse: null, polygon: null,
    civic: options.civicOnly ? { RD: 'Jl. Ahmad Yani' } : null,
    fixedAt: options.fixedAt === undefined || options.fixedAt === null ? null : iso(T0 + options.fixedAt), receivedAt: iso(T0 + receivedAt),
    number: '+6281200000000', kecamatan: null, kecamatanTouched: [], enteredBy: source === 'operator' ? 'operator:op001' : null, confirmsFixId: null,
  };
}

describe('best location', () => {
  it('given no fix, then there is none', () => {
    expect(bestLocation([], T0, MAX_AGE)).toBeNull();
  });

  it('given a fresh 10 m GNSS fix and a 2 km cell fix, then the GNSS fix wins, whichever came first', () => {
    const gnss = fix('aml-https', 1000, 10);
    const cell = fix('sip-pidf', 2000, 2000);
    expect(bestLocation([gnss, cell], T0 + 5000, MAX_AGE)).toMatchObject({ rule: 'most-accurate-recent', fix: { id: gnss.id }, ageMs: 4000 });
    expect(bestLocation([cell, gnss], T0 + 5000, MAX_AGE)!.fix.id).toBe(gnss.id);
  });

  it('given an accurate fix older than the age limit and a newer vague one, then the newer one wins on accuracy among the fresh', () => {
    const old = fix('aml-https', 0, 5);
    const fresh = fix('sip-pidf', 400_000, 900);
    expect(bestLocation([old, fresh], T0 + 400_000, MAX_AGE)).toMatchObject({ rule: 'most-accurate-recent', fix: { id: fresh.id } });
  });

  it('given only old fixes, or only civic ones, then the most recent wins', () => {
    const a = fix('aml-https', 0, 5);
    const b = fix('aml-sms', 10_000, 50);
    expect(bestLocation([a, b], T0 + 3_600_000, MAX_AGE)).toMatchObject({ rule: 'most-recent', fix: { id: b.id } });
    const civic1 = fix('landline-registry', 0, null, { civicOnly: true });
    const civic2 = fix('sip-pidf', 1000, null, { civicOnly: true });
    expect(bestLocation([civic1, civic2], T0 + 2000, MAX_AGE)).toMatchObject({ rule: 'most-recent', fix: { id: civic2.id } });
  });

  it('given the operator confirmed a fix, then it wins over a more accurate one that came later', () => {
    const confirmed = fix('operator', 5000, 900, { fixedAt: 1000 });
    const later = fix('aml-https', 6000, 5);
    expect(bestLocation([confirmed, later], T0 + 7000, MAX_AGE)).toMatchObject({ rule: 'operator-confirmed', fix: { id: confirmed.id }, ageMs: 6000 });
  });

  it('given an operator\'s correction and then their confirmation of an older fix, then the confirmation, given last, wins', () => {
    const correction = fix('operator', 100_000, 50);
    const confirmationOfOld = fix('operator', 200_000, 12, { fixedAt: 50_000 });
    expect(bestLocation([correction, confirmationOfOld], T0 + 210_000, MAX_AGE)!.fix.id).toBe(confirmationOfOld.id);
  });

  it('given a fix stamped hours in the future (a handset clock ahead), then it ages from our receipt and loses to a fresh one later', () => {
    const future = fix('aml-sms', 0, 5, { fixedAt: 7 * 3_600_000 });
    const fresh = fix('aml-https', 3 * 3_600_000, 8);
    const best = bestLocation([future, fresh], T0 + 3 * 3_600_000 + 1000, MAX_AGE);
    expect(best).toMatchObject({ rule: 'most-accurate-recent', fix: { id: fresh.id }, ageMs: 1000 });
  });
});
