import { sql } from 'drizzle-orm';
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
  /** The caller's number normalised (+62...): how location messages find their call. */
  callerNumberKey: text('caller_number_key').notNull().default(''),
  callerName: text('caller_name').notNull().default(''),
  dialledNumber: text('dialled_number').notNull(),
  state: text('state').notNull(),
  endReason: text('end_reason'),
  /** Why the dialplan fallback took the call, when it did (not-running, admission, draining, error, orphaned). */
  fallbackReason: text('fallback_reason'),
  arrivedAt: integer('arrived_at').notNull(),
  answeredAt: integer('answered_at'),
  endedAt: integer('ended_at'),
  /**
   * When the caller's channel ended in Asterisk, from its CDR: the true end of a call that ended
   * while siaga112 was not watching (end reason ended-while-down takes its end time from here).
   */
  channelEndedAt: integer('channel_ended_at'),
  /** Set by the IVR: what the caller chose, how urgent, in which language, and how. */
  category: text('category'),
  priority: integer('priority'),
  language: text('language'),
  /** JSON array: silent-caller, ghost, prank ... */
  tags: text('tags').notNull().default('[]'),
  ivrVersion: integer('ivr_version'),
  enqueuedAt: integer('enqueued_at'),
  /** The switchboard: when and to whom the call was connected, how long it waited in the queue. */
  connectedAt: integer('connected_at'),
  operatorId: text('operator_id'),
  /** Queue wait: enqueue to operator answer, or to the caller's hang-up for an abandoned call. */
  queueWaitMs: integer('queue_wait_ms'),
  /** Name of the bridge recording in Asterisk's recordings spool (ARI stored recording). */
  recordingName: text('recording_name'),
  recordingDeletedAt: integer('recording_deleted_at'),
}, (table) => [
  index('calls_arrived_at').on(table.arrivedAt),
  index('calls_dialled_arrived').on(table.dialledNumber, table.arrivedAt),
  index('calls_caller_number_key').on(table.callerNumberKey, table.arrivedAt),
  // The queries the call path and the self-check make every few seconds must not scan the
  // history: the recent queue waits (announcements), the open calls and the calls in one state.
  index('calls_connected_at').on(table.connectedAt),
  index('calls_open').on(table.arrivedAt).where(sql`${table.endedAt} IS NULL`),
  index('calls_state').on(table.state),
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
}, (table) => [
  index('call_dispositions_number').on(table.number, table.at),
  // A call's current disposition (its latest) in one index step: reports ask it of every call.
  index('call_dispositions_call').on(table.callId, table.id),
]);

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

/**
 * Operators: one per PJSIP endpoint (op001...). The state here is what a restart rebuilds from;
 * presence (registered or not) is never stored, it is asked of Asterisk.
 */
export const operators = sqliteTable('operators', {
  id: text('id').primaryKey(),
  endpoint: text('endpoint').notNull(),
  state: text('state').notNull(),
  pauseReason: text('pause_reason'),
  stateSince: integer('state_since').notNull(),
  /** When the operator last became free: longest-idle ordering counts from here. */
  idleSince: integer('idle_since').notNull(),
  /** JSON arrays: the languages the operator speaks and the categories they take ([] = all). */
  languages: text('languages').notNull().default('["id","en"]'),
  categories: text('categories').notNull().default('[]'),
  /** The call the operator is being offered, talking on or wrapping up. */
  callId: text('call_id'),
});

/** Every operator state change (append-only): the audit trail and the base of occupancy reports. */
export const operatorEvents = sqliteTable('operator_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  operatorId: text('operator_id').notNull().references(() => operators.id),
  at: integer('at').notNull(),
  fromState: text('from_state').notNull(),
  toState: text('to_state').notNull(),
  trigger: text('trigger').notNull(),
  detail: text('detail'),
}, (table) => [index('operator_events_operator').on(table.operatorId, table.at)]);

/** Each time a queued call rang an operator (or the overflow target), and how it ended. */
export const callOffers = sqliteTable('call_offers', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  callId: text('call_id').notNull().references(() => calls.id),
  /** An operator id, or "overflow". */
  target: text('target').notNull(),
  channelId: text('channel_id').notNull().unique(),
  /** When the target was free (operator available) and when the originate was sent. */
  decidedAt: integer('decided_at').notNull(),
  offeredAt: integer('offered_at').notNull(),
  endedAt: integer('ended_at'),
  /** answered, no-answer, cancelled (caller left or another answered), failed (originate refused). */
  outcome: text('outcome'),
}, (table) => [index('call_offers_call').on(table.callId)]);

/** Abandoned calls to ring back, and what came of it. */
export const callbacks = sqliteTable('callbacks', {
  id: text('id').primaryKey(),
  callId: text('call_id').notNull().unique().references(() => calls.id),
  /** The number as the caller presented it (dialled back as it is). */
  number: text('number').notNull(),
  /** The same number normalised (+62...): how a caller calling in again is matched. */
  numberKey: text('number_key').notNull().default(''),
  createdAt: integer('created_at').notNull(),
  /** open, calling, done (reached), failed (no answer: stays listed), matched (they called in). */
  status: text('status').notNull(),
  operatorId: text('operator_id'),
  attempts: integer('attempts').notNull().default(0),
  outcome: text('outcome'),
  /** The later call from the same number that closed this callback. */
  matchedCallId: text('matched_call_id'),
  /** When the citizen answered the callback: its answer time (the abandoned call itself is never answered). */
  answeredAt: integer('answered_at'),
  updatedAt: integer('updated_at').notNull(),
}, (table) => [index('callbacks_number_key').on(table.numberKey, table.status)]);
