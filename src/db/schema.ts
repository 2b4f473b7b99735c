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
