import { currentDisposition, wasAbandoned } from '../calls/call-outcome.js';
import { EndReason } from '../calls/states.js';
import { categorySchema, type Category } from '../ivr/flow-schema.js';
import { CALL_KINDS, type CallKind, SEED_SHARES_PCT } from './mix.js';
import type { DemoRecords } from './records.js';

export interface DemoSummary {
  calls: number;
  kinds: Record<CallKind, number>;
  states: Record<string, number>;
  endReasons: Record<string, number>;
  abandoned: { total: number; inIvr: number; inQueue: number };
  callbacks: Record<string, number>;
  ghostPolicyEnds: number;
  prankLaneCalls: number;
  silentCallers: number;
  answerMs: { answered: number; median: number; p90: number; within10s: number; within20s: number };
  handleMs: { median: number; p90: number };
  dispositions: Record<string, number>;
  incidents: { total: number; byCategory: Record<Category, number>; duplicatesLinked: number };
  dispatches: { total: number; resolved: number; cancelled: number; open: number; steps: number };
  fixes: Record<string, number>;
  locatedCalls: number;
  operatorEvents: number;
  noAnswerPauses: number;
}

const count = <T extends string>(values: Iterable<T>): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
};

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** What the period holds, counted from what is written. */
export function summarise(records: DemoRecords): DemoSummary {
  const rows = records.calls.map((c) => c.trail.row);
  const kinds = Object.fromEntries(CALL_KINDS.map((k) => [k, 0])) as Record<CallKind, number>;
  for (const { kind } of records.calls) kinds[kind] += 1;
  const connected = rows.filter((r) => r.connectedAt != null);
  const answer = connected.map((r) => r.connectedAt! - r.arrivedAt).sort((a, b) => a - b);
  const handle = connected.map((r) => (r.endedAt ?? r.connectedAt!) - r.connectedAt!).sort((a, b) => a - b);
  const abandoned = records.calls.filter((c) => c.trail.row.connectedAt == null && wasAbandoned(c.trail.ordered()));
  const byCall = new Map<string, Array<{ id: number; disposition: string }>>();
  records.dispositions.forEach((d, index) => byCall.set(d.callId, [...(byCall.get(d.callId) ?? []), { id: index, disposition: d.disposition }]));
  const byCategory = Object.fromEntries(categorySchema.options.map((c) => [c, 0])) as Record<Category, number>;
  for (const incident of records.incidents) byCategory[incident.category] += 1;
  const dispatches = records.incidents.flatMap((i) => i.dispatches);
  const lastStep = new Map<string, string>();
  for (const step of records.incidents.flatMap((i) => i.steps)) lastStep.set(step.dispatchId, (JSON.parse(step.event) as { type: string }).type);
  const tags = rows.map((r) => new Set(JSON.parse(r.tags ?? '[]') as string[]));
  const tagged = (tag: string) => tags.filter((set) => set.has(tag)).length;
  return {
    calls: rows.length, kinds, states: count(rows.map((r) => r.state)), endReasons: count(rows.map((r) => r.endReason ?? 'none')),
    abandoned: { total: abandoned.length, inIvr: abandoned.filter((c) => c.trail.row.enqueuedAt == null).length, inQueue: abandoned.filter((c) => c.trail.row.enqueuedAt != null).length },
    callbacks: count(records.callbacks.map((c) => c.status)),
    ghostPolicyEnds: rows.filter((r) => r.endReason === EndReason.ghostPolicy).length,
    prankLaneCalls: tagged('prank-lane'), silentCallers: tagged('silent-caller'),
    answerMs: {
      answered: answer.length, median: percentile(answer, 50), p90: percentile(answer, 90),
      within10s: answer.filter((ms) => ms <= 10_000).length, within20s: answer.filter((ms) => ms <= 20_000).length,
    },
    handleMs: { median: percentile(handle, 50), p90: percentile(handle, 90) },
    dispositions: count([...byCall.values()].map((list) => currentDisposition(list) ?? 'none')),
    incidents: { total: records.incidents.length, byCategory, duplicatesLinked: records.incidents.reduce((n, i) => n + i.links.filter((l) => l.how === 'linked').length, 0) },
    dispatches: {
      total: dispatches.length, resolved: [...lastStep.values()].filter((t) => t === 'resolve').length, cancelled: [...lastStep.values()].filter((t) => t === 'cancel').length,
      open: dispatches.filter((d) => !['resolve', 'cancel'].includes(lastStep.get(d.id) ?? '')).length, steps: records.incidents.reduce((n, i) => n + i.steps.length, 0),
    },
    fixes: count(records.fixes.map((f) => f.source)), locatedCalls: new Set(records.fixes.map((f) => f.callId)).size,
    operatorEvents: records.operatorEvents.length, noAnswerPauses: records.operatorEvents.filter((e) => e.trigger === 'no-answer').length,
  };
}

const n = (x: number) => x.toLocaleString('en-US');
const pct = (part: number, whole: number) => (whole === 0 ? '0.0' : ((100 * part) / whole).toFixed(1));
const list = (counts: Record<string, number>, whole: number) => Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${n(v)} (${pct(v, whole)} %)`).join(', ');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The summary as the CLI prints it. */
export function summaryText(s: DemoSummary, header: string): string {
  const kinds = CALL_KINDS.map((k) => `    ${k.padEnd(10)} ${n(s.kinds[k]).padStart(7)}  ${pct(s.kinds[k], s.calls).padStart(5)} %`);
  const categories = categorySchema.options.map((c) => `    ${c.padEnd(10)} ${n(s.incidents.byCategory[c]).padStart(7)}  ${pct(s.incidents.byCategory[c], s.incidents.total).padStart(5)} %  (seed ${SEED_SHARES_PCT[c]} %)`);
  return [
    header,
    `  calls: ${n(s.calls)}`,
    ...kinds,
    `  states: ${list(s.states, s.calls)}`,
    `  end reasons: ${list(s.endReasons, s.calls)}`,
    `  abandoned before an operator: ${n(s.abandoned.total)} (${pct(s.abandoned.total, s.calls)} %; in the IVR ${n(s.abandoned.inIvr)}, in the queue ${n(s.abandoned.inQueue)})`,
    `  callbacks: ${list(s.callbacks, Object.values(s.callbacks).reduce((a, b) => a + b, 0))}`,
    `  ghost-policy ends ${n(s.ghostPolicyEnds)}, prank-lane calls ${n(s.prankLaneCalls)}, silent callers ${n(s.silentCallers)}`,
    `  answer time (arrival to operator, IVR included): median ${seconds(s.answerMs.median)}, p90 ${seconds(s.answerMs.p90)}, within 10 s ${pct(s.answerMs.within10s, s.answerMs.answered)} %, within 20 s ${pct(s.answerMs.within20s, s.answerMs.answered)} %`,
    `  handle time (operator answer to hang-up): median ${seconds(s.handleMs.median)}, p90 ${seconds(s.handleMs.p90)}`,
    `  current dispositions: ${list(s.dispositions, Object.values(s.dispositions).reduce((a, b) => a + b, 0))}`,
    `  incidents: ${n(s.incidents.total)}, ${n(s.incidents.duplicatesLinked)} duplicate calls linked`,
    ...categories,
    `  dispatches: ${n(s.dispatches.total)} (resolved ${n(s.dispatches.resolved)}, cancelled ${n(s.dispatches.cancelled)}, still open ${n(s.dispatches.open)}), ${n(s.dispatches.steps)} steps`,
    `  location fixes: ${list(s.fixes, Object.values(s.fixes).reduce((a, b) => a + b, 0))}; calls located ${pct(s.locatedCalls, s.calls)} %`,
    `  operator events: ${n(s.operatorEvents)} (no-answer pauses ${n(s.noAnswerPauses)})`,
  ].join('\n');
}

