import { CallState } from '../calls/states.js';
import { CallbacksRepository, type CallbackRow } from '../db/callbacks-repository.js';
import { CallsRepository } from '../db/calls-repository.js';
import type { Db } from '../db/database.js';
import { DispatchRepository } from '../db/dispatch-repository.js';
import { DispositionsRepository, type NewDispositionRow } from '../db/dispositions-repository.js';
import { IncidentsRepository } from '../db/incidents-repository.js';
import { LocationRepository, type NewFixRow } from '../db/location-repository.js';
import { type NewOfferRow, OffersRepository } from '../db/offers-repository.js';
import { type NewOperatorEvent, OperatorsRepository } from '../db/operators-repository.js';
import type { CallTrail } from './call-trail.js';
import { type DemoIncident, orderedEvents } from './incident-build.js';
import type { CallKind } from './mix.js';
import type { OperatorTrail } from './operator-trail.js';

/** Everything the period produced, in memory until it is written in one go. */
export interface DemoRecords {
  calls: Array<{ trail: CallTrail; kind: CallKind }>;
  offers: NewOfferRow[];
  fixes: NewFixRow[];
  dispositions: NewDispositionRow[];
  callbacks: CallbackRow[];
  incidents: DemoIncident[];
  operatorEvents: NewOperatorEvent[];
  operators: OperatorTrail[];
}

export function emptyRecords(): DemoRecords {
  return { calls: [], offers: [], fixes: [], dispositions: [], callbacks: [], incidents: [], operatorEvents: [], operators: [] };
}

/** States a call of the demo may be left in: each is the end of some path through the state machine. */
const FINAL_STATES: ReadonlySet<string> = new Set([CallState.ended, CallState.abandoned, CallState.fallback]);

/**
 * Writes the period through the repositories' bulk methods, tables in the order their references
 * need (calls before what points at them), each table's rows in the order they happened. A call
 * that did not reach a final state is a generator bug: refused before anything is written.
 */
export function writeRecords(db: Db, records: DemoRecords): void {
  const unfinished = records.calls.find(({ trail }) => !FINAL_STATES.has(trail.state));
  if (unfinished) throw new Error(`demo call ${unfinished.trail.id} (${unfinished.kind}) was left ${unfinished.trail.state}`);
  const byTime = <T extends { at: number }>(rows: T[]) => [...rows].sort((a, b) => a.at - b.at);
  const calls = [...records.calls].sort((a, b) => a.trail.row.arrivedAt - b.trail.row.arrivedAt);
  new CallsRepository(db).insertFinished(calls.map((c) => c.trail.row), calls.flatMap((c) => c.trail.ordered()));
  new OffersRepository(db).insertClosed([...records.offers].sort((a, b) => a.offeredAt - b.offeredAt));
  new LocationRepository(db).addFixes([...records.fixes].sort((a, b) => a.receivedAt - b.receivedAt));
  new DispositionsRepository(db).addMany(byTime(records.dispositions));
  new CallbacksRepository(db).insertSettled([...records.callbacks].sort((a, b) => a.createdAt - b.createdAt));
  const incidents = [...records.incidents].sort((a, b) => a.row.createdAt - b.row.createdAt);
  new IncidentsRepository(db).insertHistory(incidents.map((i) => i.row), incidents.flatMap(orderedEvents), incidents.flatMap((i) => i.links));
  const dispatches = incidents.flatMap((i) => i.dispatches).sort((a, b) => a.requestedAt - b.requestedAt);
  new DispatchRepository(db).insertHistory(dispatches, incidents.flatMap((i) => i.steps).sort((a, b) => a.at - b.at));
  new OperatorsRepository(db).insertHistory(records.operatorEvents, new Map(records.operators.map((o) => [o.id, o.row()])));
}
