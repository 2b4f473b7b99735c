import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { calls } from './schema.js';

/**
 * Incidents and dispatch. Everything here is append-only except the outbox's delivery columns
 * and an agency's editable record: an incident's and a dispatch's current views are derived from
 * their events when read, so every change keeps who made it and when.
 */
export const incidents = sqliteTable('incidents', {
  /** A UUID: exported to agencies, so it must not reveal how many incidents the centre has. */
  id: text('id').primaryKey(),
  createdAt: integer('created_at').notNull(),
  createdBy: text('created_by').notNull(),
}, (table) => [index('incidents_created_at').on(table.createdAt)]);

/** Every change of an incident: created, updated, agency added/removed, note, mass-call. */
export const incidentEvents = sqliteTable('incident_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  incidentId: text('incident_id').notNull().references(() => incidents.id),
  type: text('type').notNull(),
  at: integer('at').notNull(),
  by: text('by').notNull(),
  /** JSON: what changed (checked with the event's schema when read back). */
  detail: text('detail').notNull().default('{}'),
}, (table) => [index('incident_events_incident').on(table.incidentId, table.id)]);

/** Which incident a call reports; a call reports at most one. */
export const incidentCalls = sqliteTable('incident_calls', {
  callId: text('call_id').primaryKey().references(() => calls.id),
  incidentId: text('incident_id').notNull().references(() => incidents.id),
  /** first (the call the incident was created from), linked (an operator's), surge (a mass-call event's). */
  how: text('how').notNull(),
  linkedAt: integer('linked_at').notNull(),
  by: text('by').notNull(),
}, (table) => [index('incident_calls_incident').on(table.incidentId, table.linkedAt)]);

/** The agencies the centre dispatches to; admins edit them (the one mutable record here). */
export const agencies = sqliteTable('agencies', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** JSON array of numbers dialled through the trunk; the first is the one a transfer dials. */
  numbers: text('numbers').notNull().default('[]'),
  /** JSON array: what the agency serves, [{category, subcategory?, onlyWhenHurt}]. */
  serves: text('serves').notNull().default('[]'),
  webhookUrl: text('webhook_url'),
  /** The webhook signing key, sealed with SIAGA112_SECRETS_KEY (never returned by the API). */
  signingKeySealed: text('signing_key_sealed'),
  /** Order in which agencies are listed and proposed. */
  position: integer('position').notNull(),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});

/** An agency's API tokens, as SHA-256 digests: shown once at creation, never stored in clear. */
export const agencyTokens = sqliteTable('agency_tokens', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  agencyId: text('agency_id').notNull().references(() => agencies.id),
  digest: text('digest').notNull(),
  createdAt: integer('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  revokedAt: integer('revoked_at'),
}, (table) => [uniqueIndex('agency_tokens_digest').on(table.digest)]);

/** One agency sent to one incident. */
export const dispatches = sqliteTable('dispatches', {
  id: text('id').primaryKey(),
  incidentId: text('incident_id').notNull().references(() => incidents.id),
  agencyId: text('agency_id').notNull().references(() => agencies.id),
  requestedAt: integer('requested_at').notNull(),
  requestedBy: text('requested_by').notNull(),
  /** JSON: what the agency was told about the incident when it was sent (the webhook's incident). */
  brief: text('brief').notNull(),
}, (table) => [index('dispatches_incident').on(table.incidentId), index('dispatches_agency').on(table.agencyId, table.requestedAt)]);

/** Every step of a dispatch after its request; seq 0 is the request itself (in dispatches). */
export const dispatchEvents = sqliteTable('dispatch_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  dispatchId: text('dispatch_id').notNull().references(() => dispatches.id),
  seq: integer('seq').notNull(),
  /** JSON: the DispatchEvent ({type, reason?}). */
  event: text('event').notNull(),
  at: integer('at').notNull(),
  by: text('by').notNull(),
}, (table) => [uniqueIndex('dispatch_events_seq').on(table.dispatchId, table.seq)]);

/**
 * The transactional outbox: one row per webhook to send, written in the same transaction as the
 * dispatch change it tells of, so a change is never committed without its webhook or sent
 * without being committed.
 */
export const webhookOutbox = sqliteTable('webhook_outbox', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  agencyId: text('agency_id').notNull().references(() => agencies.id),
  idempotencyKey: text('idempotency_key').notNull(),
  /** The exact bytes signed and sent on every attempt. */
  body: text('body').notNull(),
  createdAt: integer('created_at').notNull(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: integer('next_attempt_at').notNull(),
  firstAttemptAt: integer('first_attempt_at'),
  lastError: text('last_error'),
  deliveredAt: integer('delivered_at'),
  /** Set when retries stop; admins see these and may retry them. */
  deadAt: integer('dead_at'),
}, (table) => [
  uniqueIndex('webhook_outbox_key').on(table.agencyId, table.idempotencyKey),
  index('webhook_outbox_due').on(table.deliveredAt, table.deadAt, table.nextAttemptAt),
  // Each agency's oldest pending webhook in one index step, however long the backlog grows.
  index('webhook_outbox_pending').on(table.agencyId, table.id).where(sql`${table.deliveredAt} IS NULL AND ${table.deadAt} IS NULL`),
]);

/** Surge suggestions supervisors accepted or dismissed, and the mass-call events they started. */
export const surgeDecisions = sqliteTable('surge_decisions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  surgeKey: text('surge_key').notNull(),
  /** suggested (by siaga112), accepted or dismissed (by a supervisor), ended (its announcement was switched off). */
  decision: text('decision').notNull(),
  /** JSON: the suggestion as the supervisor saw it. */
  suggestion: text('suggestion').notNull(),
  incidentId: text('incident_id').references(() => incidents.id),
  /** The announcement switched on with the incident's tag; linking ends when it is switched off. */
  announcementId: integer('announcement_id'),
  eventTag: text('event_tag'),
  at: integer('at').notNull(),
  by: text('by').notNull(),
}, (table) => [index('surge_decisions_key').on(table.surgeKey)]);

/** Subcategories per IVR category, as admins configure them. */
export const incidentSubcategories = sqliteTable('incident_subcategories', {
  category: text('category').primaryKey(),
  /** JSON array of subcategory slugs. */
  subcategories: text('subcategories').notNull(),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});
