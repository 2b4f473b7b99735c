import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FixRow, NewFixRow } from '../db/location-repository.js';
import type { FixReading } from '../geo/fix.js';
import type { KecamatanMap } from './kecamatan/kecamatan-map.js';
import type { Logger } from '../log.js';
import { OUTSIDE_KOTA_BEKASI } from './kecamatan/kecamatan-map.js';
import { fixGeometrySchema, type StoredFix, storedFixSchema } from '../geo/stored-fix.js';

const touchedSchema = z.array(z.string());

/** Where a reading came for and who stands behind it: what makes it one call's fix. */
export interface FixContext {
  callId: string;
  number: string;
  receivedAt: number;
  raw: string;
  enteredBy?: string | null;
  confirmsFixId?: string | null;
}

/** The row of a new fix: its own id, its kecamatan (and every one its accuracy circle touches). */
export function fixRowOf(reading: FixReading, context: FixContext, map: KecamatanMap): NewFixRow {
  const hasPoint = reading.latitude !== null && reading.longitude !== null;
  const kecamatan = hasPoint ? (map.kecamatanAt(reading.latitude!, reading.longitude!) ?? OUTSIDE_KOTA_BEKASI) : null;
  const touched = hasPoint ? map.kecamatanWithin(reading.latitude!, reading.longitude!, reading.accuracyM) : [];
  const geometry = {
    ...(reading.ellipse ? { ellipse: reading.ellipse } : {}),
    ...(reading.polygon ? { polygon: reading.polygon } : {}),
    ...(reading.civic ? { civic: reading.civic } : {}),
  };
  return {
    id: randomUUID(), callId: context.callId, source: reading.source, shape: reading.shape,
    latitude: reading.latitude, longitude: reading.longitude, accuracyM: reading.accuracyM, confidencePct: reading.confidencePct,
    altitudeM: reading.altitudeM, verticalAccuracyM: reading.verticalAccuracyM, method: reading.method,
    geometry: JSON.stringify(geometry), fixedAt: reading.fixedAt, receivedAt: context.receivedAt, number: context.number,
    kecamatan, kecamatanTouched: JSON.stringify(touched), enteredBy: context.enteredBy ?? null,
    confirmsFixId: context.confirmsFixId ?? null, raw: context.raw,
  };
}

/** A stored row as clients see it, parsed with its schema (never cast). */
export function storedFixOf(row: FixRow | NewFixRow): StoredFix {
  const geometry = fixGeometrySchema.parse(JSON.parse(row.geometry ?? '{}'));
  return storedFixSchema.parse({
    id: row.id, callId: row.callId, source: row.source, shape: row.shape, latitude: row.latitude ?? null, longitude: row.longitude ?? null,
    accuracyM: row.accuracyM ?? null, confidencePct: row.confidencePct ?? null, altitudeM: row.altitudeM ?? null,
    verticalAccuracyM: row.verticalAccuracyM ?? null, method: row.method, ellipse: geometry.ellipse ?? null,
    polygon: geometry.polygon ?? null, civic: geometry.civic ?? null,
    fixedAt: row.fixedAt === null || row.fixedAt === undefined ? null : new Date(row.fixedAt).toISOString(),
    receivedAt: new Date(row.receivedAt).toISOString(), number: row.number, kecamatan: row.kecamatan ?? null,
    kecamatanTouched: touchedSchema.parse(JSON.parse(row.kecamatanTouched ?? '[]')),
    enteredBy: row.enteredBy ?? null, confirmsFixId: row.confirmsFixId ?? null,
  });
}

/**
 * Stored rows as clients see them, leaving out (and logging) a row that no longer parses: one bad
 * row must not take a call's record or a console's snapshot down with it.
 */
export function storedFixesOf(rows: readonly FixRow[], log: Logger): StoredFix[] {
  return rows.flatMap((row) => {
    try {
      return [storedFixOf(row)];
    } catch (error) {
      log.error({ fixId: row.id, callId: row.callId, err: String(error) }, 'a stored fix does not parse; left out');
      return [];
    }
  });
}
