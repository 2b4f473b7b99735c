import type { LandlineRow } from '../../db/location-repository.js';
import { civicAddressSchema, emptyReading, type FixReading } from '../../geo/fix.js';

/**
 * A registry entry as a fix: the subscriber's address, and its coordinates when the registry has
 * them (a point without accuracy: it is where the line is, not a measurement).
 */
export function landlineReading(row: LandlineRow): FixReading {
  const civic = civicAddressSchema.parse(JSON.parse(row.civic));
  const reading = emptyReading('landline-registry');
  const hasPoint = row.latitude !== null && row.longitude !== null;
  return {
    ...reading, shape: hasPoint ? 'point' : 'civic', latitude: row.latitude, longitude: row.longitude,
    method: 'manual', civic: { ...civic, ...(row.label ? { NAM: row.label } : {}) },
  };
}
