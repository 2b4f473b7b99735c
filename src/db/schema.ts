import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The durable record. Times are milliseconds since the epoch (UTC). A call row is written at
 * StasisStart before anything else happens to the call; every change appends a call_events row.
 * Tables for operators, incidents and locations join later through calls.id.
 */
export const calls = sqliteTable('calls', {
  id: text('id').primaryKey(),
  /** Asterisk's channel id (uniqueid) of the caller's channel. */
  channelId: text('channel_id').notNull().unique(),
  callerNumber: text('caller_number').notNull(),
  callerName: text('caller_name').notNull().default(''),
  dialledNumber: text('dialled_number').notNull(),
  state: text('state').notNull(),
  endReason: text('end_reason'),
  /** Why the dialplan fallback took the call, when it did (not-running, admission, draining, error, orphaned). */
  fallbackReason: text('fallback_reason'),
  arrivedAt: integer('arrived_at').notNull(),
  answeredAt: integer('answered_at'),
  endedAt: integer('ended_at'),
  /** Set by the IVR: what the caller chose, how urgent, in which language, and how. */
  category: text('category'),
  priority: integer('priority'),
  language: text('language'),
  /** JSON array: silent-caller, ghost, prank ... */
  tags: text('tags').notNull().default('[]'),
  ivrVersion: integer('ivr_version'),
  enqueuedAt: integer('enqueued_at'),
}, (table) => [
  index('calls_arrived_at').on(table.arrivedAt),
  index('calls_dialled_arrived').on(table.dialledNumber, table.arrivedAt),
]);

export const callEvents = sqliteTable('call_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  callId: text('call_id').notNull().references(() => calls.id),
  at: integer('at').notNull(),
  type: text('type').notNull(),
  /** JSON object with the event's details, or null. */
  detail: text('detail'),
}, (table) => [index('call_events_call').on(table.callId, table.id)]);

/** Where the import of Asterisk's fallback-call records (cdr_custom) has got to. */
export const cdrImport = sqliteTable('cdr_import', {
  source: text('source').primaryKey(),
  inode: integer('inode').notNull(),
  offset: integer('offset').notNull(),
});

/** Every version of every IVR flow ever saved; `version` is global and never reused. */
export const ivrFlowVersions = sqliteTable('ivr_flow_versions', {
  version: integer('version').primaryKey({ autoIncrement: true }),
  flowId: text('flow_id').notNull(),
  /** The validated flow document (JSON, defaults applied). */
  document: text('document').notNull(),
  note: text('note').notNull().default(''),
  createdAt: integer('created_at').notNull(),
}, (table) => [index('ivr_flow_versions_flow').on(table.flowId, table.version)]);

/** Which version of each flow new calls use. */
export const ivrActiveFlows = sqliteTable('ivr_active_flows', {
  flowId: text('flow_id').primaryKey(),
  version: integer('version').notNull().references(() => ivrFlowVersions.version),
  activatedAt: integer('activated_at').notNull(),
});

/** Audit trail of activations and rollbacks. */
export const ivrActivations = sqliteTable('ivr_activations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  flowId: text('flow_id').notNull(),
  version: integer('version').notNull(),
  previousVersion: integer('previous_version'),
  action: text('action').notNull(),
  at: integer('at').notNull(),
});

/** Operators' verdicts on calls (append-only, the audit trail of the prank policy). */
export const callDispositions = sqliteTable('call_dispositions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  callId: text('call_id').notNull().references(() => calls.id),
  /** The caller's number, normalised (+62...), so repeat callers match however they dial. */
  number: text('number').notNull(),
  disposition: text('disposition').notNull(),
  note: text('note').notNull().default(''),
  by: text('by').notNull(),
  at: integer('at').notNull(),
}, (table) => [index('call_dispositions_number').on(table.number, table.at)]);

/** An admin's clearing of a number: prank marks before it no longer count. */
export const numberClearances = sqliteTable('number_clearances', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  number: text('number').notNull(),
  by: text('by').notNull(),
  reason: text('reason').notNull().default(''),
  at: integer('at').notNull(),
}, (table) => [index('number_clearances_number').on(table.number, table.at)]);

/** Mass-call announcements a supervisor switches on and off at run time (at most one active). */
export const announcements = sqliteTable('announcements', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** JSON: the announcement per language, e.g. {"id": "...", "en": "..."}. */
  texts: text('texts').notNull(),
  key: text('key').notNull(),
  eventTag: text('event_tag').notNull(),
  startedAt: integer('started_at').notNull(),
  endedAt: integer('ended_at'),
});
