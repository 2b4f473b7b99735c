import type { Clock } from '../clock.js';
import type { LocationRepository } from '../db/location-repository.js';
import { ok, type ParseResult, refused } from '../geo/fix.js';
import { type KecamatanMap, loadShippedKecamatan, MAX_KECAMATAN_GEOJSON_BYTES, parseKecamatanGeoJson } from './kecamatan/kecamatan-map.js';

/**
 * The kecamatan map in use: the newest one an admin uploaded, else the approximate one shipped.
 * An upload is checked whole before it replaces the map; a bad one changes nothing.
 */
export class KecamatanMaps {
  private map: KecamatanMap;

  constructor(private readonly repo: LocationRepository, private readonly clock: Clock) {
    this.map = this.stored() ?? loadShippedKecamatan();
  }

  current(): KecamatanMap {
    return this.map;
  }

  /** Validates and stores an admin's GeoJSON; the reason when it is refused. */
  replace(text: string, by: string): ParseResult<KecamatanMap> {
    if (Buffer.byteLength(text) > MAX_KECAMATAN_GEOJSON_BYTES) return refused(`GeoJSON larger than ${MAX_KECAMATAN_GEOJSON_BYTES} bytes`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return refused(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const parsed = parseKecamatanGeoJson(json);
    if (!parsed.ok) return parsed;
    this.repo.addKecamatanMap(text, by, this.clock.now());
    this.map = parsed.value;
    return ok(parsed.value);
  }

  /** The newest upload, if there is one and it still parses (it did when it was stored). */
  private stored(): KecamatanMap | null {
    const text = this.repo.latestKecamatanMap();
    if (text === undefined) return null;
    const parsed = parseKecamatanGeoJson(JSON.parse(text));
    return parsed.ok ? parsed.value : null;
  }
}
