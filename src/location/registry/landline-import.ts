import type { Clock } from '../../clock.js';
import type { LocationRepository } from '../../db/location-repository.js';
import { DomainError } from '../../errors.js';
import { parseLandlineCsv } from './landline-csv.js';

/**
 * An admin's registry import: every bad row is reported with its line; the good rows are kept
 * only when the admin asked for a partial import (otherwise a file with one bad row changes
 * nothing: 422 with the list). Rows are written in one transaction.
 */
export function importLandlines(repo: LocationRepository, clock: Clock, csv: string, partial: boolean, by: string) {
  const { rows, errors } = parseLandlineCsv(csv);
  if (errors.length > 0) {
    repo.reject({ at: clock.now(), intake: 'landline-csv', sender: by, reason: `${errors.length} bad row(s); first: line ${errors[0]!.line}: ${errors[0]!.reason}`, callId: null, raw: '' });
    if (!partial) throw new DomainError(422, 'landlines-invalid', `${errors.length} row(s) refused; nothing imported (partial=true keeps the good rows)`, { errors });
  }
  const importedAt = clock.now();
  repo.upsertLandlines(rows.map((row) => ({
    number: row.number, civic: JSON.stringify(row.civic), latitude: row.latitude, longitude: row.longitude, label: row.label ?? '', importedAt,
  })));
  return { imported: rows.length, errors };
}
