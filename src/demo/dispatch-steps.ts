import type { DispatchEventRow } from '../db/dispatch-repository.js';
import { applyDispatchEvent, type DispatchEvent, newDispatchTimeline } from '../dispatch/dispatch-lifecycle.js';
import type { Category } from '../ivr/flow-schema.js';
import { CANCEL_REASONS } from './descriptions.js';
import { logNormalBetween } from './distributions.js';
import type { Random } from './random.js';

/**
 * How fast each agency moves in Kota Bekasi (medians, seconds): acknowledging on the radio,
 * rolling out, and getting there through Bekasi's traffic. BPBD and Satpol PP assemble a team
 * first; Damkar and the ambulances are on standby.
 */
const AGENCY_PACE: Record<string, { acknowledgeS: number; rollOutS: number; travelS: number }> = {
  damkar: { acknowledgeS: 45, rollOutS: 90, travelS: 11 * 60 },
  dinkes: { acknowledgeS: 60, rollOutS: 120, travelS: 14 * 60 },
  polisi: { acknowledgeS: 90, rollOutS: 180, travelS: 13 * 60 },
  bpbd: { acknowledgeS: 150, rollOutS: 600, travelS: 25 * 60 },
  'satpol-pp': { acknowledgeS: 240, rollOutS: 600, travelS: 25 * 60 },
};
const DEFAULT_PACE = { acknowledgeS: 180, rollOutS: 300, travelS: 20 * 60 };

/** How long the work on scene takes until the agency reports it resolved (median, minutes). */
const ON_SCENE_MINUTES: Record<Category, number> = { fire: 60, traffic: 40, medical: 25, disaster: 150, crime: 45, other: 50 };

export interface DispatchRequest {
  dispatchId: string;
  agencyId: string;
  category: Category;
  requestedAt: number;
  /** Steps after this moment have not happened yet: the dispatch stays where it got to. */
  until: number;
  /** Who records a step at a moment (the operator on shift hears it on the radio). */
  by: (at: number) => string;
}

/**
 * One dispatch's steps after its request, with realistic delays, each checked by the lifecycle's
 * own rule (applyDispatchEvent) as DispatchService.change checks it. Agencies' own systems often
 * skip en-route; some dispatches are called off on the way.
 */
export function dispatchSteps(rng: Random, request: DispatchRequest): Array<Omit<DispatchEventRow, 'id'>> {
  const pace = AGENCY_PACE[request.agencyId] ?? DEFAULT_PACE;
  const seconds = (median: number, sigma: number, min: number, max: number) => logNormalBetween(rng, median, sigma, min, max) * 1000;
  const plan: Array<{ event: DispatchEvent; after: number }> = [];
  let at = request.requestedAt;
  const step = (event: DispatchEvent, afterMs: number) => {
    at += afterMs;
    plan.push({ event, after: at });
  };
  if (!rng.chance(0.05)) step({ type: 'acknowledge' }, seconds(pace.acknowledgeS, 0.6, 10, 1800));
  const cancelled = rng.chance(0.05);
  if (cancelled && rng.chance(0.4)) {
    step({ type: 'cancel', reason: rng.pick(CANCEL_REASONS[request.category]) }, seconds(240, 0.7, 30, 3600));
  } else {
    if (!rng.chance(0.2)) step({ type: 'en-route' }, seconds(pace.rollOutS, 0.6, 20, 3600));
    if (cancelled) {
      step({ type: 'cancel', reason: rng.pick(CANCEL_REASONS[request.category]) }, seconds(pace.travelS / 2, 0.6, 60, 3600));
    } else {
      step({ type: 'on-scene' }, seconds(pace.travelS, 0.5, 180, 7200));
      step({ type: 'resolve' }, seconds(ON_SCENE_MINUTES[request.category] * 60, 0.55, 300, 12 * 3600));
    }
  }
  let timeline = newDispatchTimeline(request.requestedAt);
  const steps: Array<Omit<DispatchEventRow, 'id'>> = [];
  for (const { event, after } of plan) {
    const when = Math.round(after);
    if (when > request.until) break;
    const applied = applyDispatchEvent(timeline, event, when);
    if (!applied.ok) throw new Error(`demo dispatch step refused: ${event.type} while ${applied.current}`);
    timeline = applied.timeline;
    steps.push({ dispatchId: request.dispatchId, seq: steps.length + 1, event: JSON.stringify(event), at: when, by: request.by(when) });
  }
  return steps;
}
