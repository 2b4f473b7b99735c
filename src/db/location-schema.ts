import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { calls } from './schema.js';

/**
 * Caller location. A fix is written once and never changed: a correction or an operator's
 * confirmation is a new fix, and a call's best location is derived when it is read.
 */
export const locationFixes = sqliteTable('location_fixes', {
  /** A UUID given when the fix is taken in, so it has its id even while the database is locked. */
  id: text('id').primaryKey(),
  callId: text('call_id').notNull().references(() => calls.id),
  /** sip-pidf, sip-pidf-ref, aml-https, aml-sms, landline-registry, operator. */
  source: text('source').notNull(),
  /** point, circle, ellipse, polygon, civic. */
  shape: text('shape').notNull(),
  latitude: real('latitude'),
  longitude: real('longitude'),
  accuracyM: real('accuracy_m'),
  confidencePct: real('confidence_pct'),
  altitudeM: real('altitude_m'),
  verticalAccuracyM: real('vertical_accuracy_m'),
  /** gnss, wifi, cell, fused, manual, unknown. */
  method: text('method').notNull(),
  /** JSON: the ellipse, the polygon's ring and the civic address, when the fix has them. */
  geometry: text('geometry').notNull().default('{}'),
  /** When the device took the fix (null when the source does not say) and when we received it. */
  fixedAt: integer('fixed_at'),
  receivedAt: integer('received_at').notNull(),
  /** The normalised number the fix came for (+62...). */
  number: text('number').notNull(),
  /** The kecamatan of the point, or "outside Kota Bekasi"; null for a civic-only fix. */
  kecamatan: text('kecamatan'),
  /** JSON array: every kecamatan the fix's uncertainty circle touches. */
  kecamatanTouched: text('kecamatan_touched').notNull().default('[]'),
  /** An operator's fix: who entered it, and the fix it confirms (null for a fix they entered). */
  enteredBy: text('entered_by'),
  confirmsFixId: text('confirms_fix_id'),
  /** What arrived, for audit: only admins read it, it never goes to logs. */
  raw: text('raw').notNull().default(''),
}, (table) => [index('location_fixes_call').on(table.callId, table.receivedAt)]);

/** AML messages that came before (or without) their call: attached when the call comes. */
export const amlPending = sqliteTable('aml_pending', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  number: text('number').notNull(),
  receivedAt: integer('received_at').notNull(),
  /** JSON: the parsed message (AmlMessage). */
  message: text('message').notNull(),
  raw: text('raw').notNull(),
  /** Set once, when a call from the number takes the message. */
  attachedCallId: text('attached_call_id'),
  attachedAt: integer('attached_at'),
}, (table) => [index('aml_pending_number').on(table.number, table.receivedAt)]);

/** Fixed lines and where they are (imported by admins from CSV). */
export const landlines = sqliteTable('landlines', {
  number: text('number').primaryKey(),
  /** JSON: the civic address. */
  civic: text('civic').notNull(),
  latitude: real('latitude'),
  longitude: real('longitude'),
  label: text('label').notNull().default(''),
  importedAt: integer('imported_at').notNull(),
});

/** Location input refused (AML, PIDF-LO, by-reference fetches, CSV, GeoJSON), for admins. */
export const intakeRejections = sqliteTable('intake_rejections', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: integer('at').notNull(),
  /** aml-https, aml-sms, sip-pidf, sip-pidf-ref, landline-csv, kecamatan-geojson. */
  intake: text('intake').notNull(),
  /** The AML sender, the admin, or the call's number. */
  sender: text('sender').notNull(),
  reason: text('reason').notNull(),
  callId: text('call_id'),
  raw: text('raw').notNull().default(''),
}, (table) => [index('intake_rejections_at').on(table.at)]);

/** Kecamatan boundaries uploaded by admins (the newest is used; none: the shipped map). */
export const kecamatanMaps = sqliteTable('kecamatan_maps', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  uploadedAt: integer('uploaded_at').notNull(),
  uploadedBy: text('uploaded_by').notNull(),
  geojson: text('geojson').notNull(),
});
