import { z } from 'zod';
import { type Principal, principalSchema } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { type CallRow, type CallsRepository, callTagsSchema } from '../db/calls-repository.js';
import type { IncidentsRepository, SurgeDecisionRow } from '../db/incidents-repository.js';
import { DomainError } from '../errors.js';
import type { CallLocation } from '../geo/best-location.js';
import { distanceM } from '../geo/distance.js';
import { categorySchema } from '../ivr/flow-schema.js';
import type { Logger } from '../log.js';
import type { IncidentService } from './incident-service.js';
import { detectSurges, type SurgeCall, type SurgeSettings, type SurgeSuggestion, surgeSuggestionSchema } from './surge-detection.js';

/** What a surge needs of the mass-call announcement (the IVR's announcement service). */
export interface MassCallAnnouncement {
  current(): { id: number; eventTag: string } | undefined;
  start(input: { texts: { id: string; en?: string }; key: string; eventTag: string }): Promise<{ id: number }>;
}

export const acceptSurgeBody = z.object({
  key: z.string().regex(/^[0-9]$/, 'one key, 0-9').default('1'),
  eventTag: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'lower-case words with dashes').optional(),
  texts: z.object({ id: z.string().min(1).max(300), en: z.string().min(1).max(300).optional() }).strict().optional()
    .describe('default: the suggestion\'s proposed announcement'),
}).strict();
export type AcceptSurge = z.infer<typeof acceptSurgeBody>;

/** The detector's own principal in the audit: suggestions are made by siaga112, decisions by people. */
const DETECTOR = 'system:surge-detection';

/**
 * Surges, live: the calls of the window with their best locations go through detectSurges; each
 * new suggestion is recorded once (audited), supervisors accept or dismiss it. Accepting makes one
 * incident of the calls, switches the mass-call announcement on with the incident's tag, and from
 * then on links every new call that matches (the caller pressed the announcement's key, or their
 * location or category matches the surge) until the announcement is switched off.
 */
export class SurgeService {
  constructor(private readonly deps: {
    calls: CallsRepository;
    repo: IncidentsRepository;
    incidents: IncidentService;
    locationOf: (callId: string) => CallLocation;
    announcement: MassCallAnnouncement;
    clock: Clock;
    log: Logger;
    settings: SurgeSettings;
  }) {}

  /** Suggestions nobody has accepted or dismissed yet. */
  suggestions(): SurgeSuggestion[] {
    const decided = new Set(this.deps.repo.surgeDecisions().filter((d) => d.decision !== 'suggested').map((d) => d.surgeKey));
    return this.detect().filter((s) => !decided.has(s.key));
  }

  /** Records new suggestions (once each) and links new calls to the mass-call events running. */
  tick(): void {
    const seen = new Set(this.deps.repo.surgeDecisions().map((d) => d.surgeKey));
    for (const suggestion of this.suggestions()) {
      if (seen.has(suggestion.key)) continue;
      this.deps.repo.addSurgeDecision({ surgeKey: suggestion.key, decision: 'suggested', suggestion: JSON.stringify(suggestion), incidentId: null, announcementId: null, eventTag: null, at: this.deps.clock.now(), by: DETECTOR });
      this.deps.log.info({ surgeKey: suggestion.key, calls: suggestion.callIds.length }, 'surge suggested to supervisors');
    }
    this.followMassCalls();
  }

  async accept(key: string, input: AcceptSurge, by: Principal): Promise<{ incidentId: string; eventTag: string; announcementId: number; linked: string[] }> {
    const suggestion = this.suggestions().find((s) => s.key === key);
    if (!suggestion) throw new DomainError(404, 'surge-not-found', `no open surge suggestion ${key} (decided, or no longer a surge)`);
    const [firstCall, ...others] = suggestion.callIds;
    const category = suggestion.category ?? 'other';
    const place = suggestion.kecamatan ? ` (${suggestion.kecamatan})` : '';
    const incident = this.deps.incidents.create({
      callId: firstCall!, category, description: `Mass-call event: ${suggestion.callIds.length} calls about ${category}${place}`,
      severity: 'serious', peopleAffected: 0, peopleHurt: false,
      ...(suggestion.centre ? { location: { ...suggestion.centre, accuracyM: this.deps.settings.radiusM, description: 'centre of the calls\' locations' } } : {}),
    }, by);
    for (const callId of others) this.linkQuietly(incident.id, callId, by);
    const eventTag = input.eventTag ?? `incident-${incident.id.slice(0, 8)}`;
    const texts = input.texts ?? suggestion.proposedAnnouncement;
    const announcement = await this.deps.announcement.start({ texts, key: input.key, eventTag });
    this.deps.repo.addSurgeDecision({ surgeKey: key, decision: 'accepted', suggestion: JSON.stringify(suggestion), incidentId: incident.id, announcementId: announcement.id, eventTag, at: this.deps.clock.now(), by: `${by.kind}:${by.id}` });
    this.deps.incidents.massCall(incident.id, { type: 'mass-call-started', eventTag, surgeKey: key, announcementId: announcement.id }, by);
    return { incidentId: incident.id, eventTag, announcementId: announcement.id, linked: this.deps.incidents.get(incident.id).calls.map((c) => c.callId) };
  }

  dismiss(key: string, by: Principal): void {
    const suggestion = this.suggestions().find((s) => s.key === key);
    if (!suggestion) throw new DomainError(404, 'surge-not-found', `no open surge suggestion ${key}`);
    this.deps.repo.addSurgeDecision({ surgeKey: key, decision: 'dismissed', suggestion: JSON.stringify(suggestion), incidentId: null, announcementId: null, eventTag: null, at: this.deps.clock.now(), by: `${by.kind}:${by.id}` });
  }

  /** Every decision, newest last: the audit supervisors and admins read. */
  decisions(): SurgeDecisionRow[] {
    return this.deps.repo.surgeDecisions();
  }

  private detect(): SurgeSuggestion[] {
    const { settings, clock } = this.deps;
    const now = clock.now();
    return detectSurges(this.recentCalls(now - settings.windowMs).map((call) => this.surgeCallOf(call)), now, settings);
  }

  private recentCalls(since: number): CallRow[] {
    return this.deps.calls.list({ from: since, limit: 5000, offset: 0 }).items;
  }

  private surgeCallOf(call: CallRow): SurgeCall {
    const fix = this.deps.locationOf(call.id).best?.fix;
    const point = fix && fix.latitude !== null && fix.longitude !== null ? { latitude: fix.latitude, longitude: fix.longitude, accuracyM: fix.accuracyM } : null;
    const category = categorySchema.safeParse(call.category);
    return {
      callId: call.id, arrivedAt: call.arrivedAt, category: category.success ? category.data : null, point,
      kecamatan: fix?.kecamatan && fix.kecamatan !== 'outside Kota Bekasi' ? fix.kecamatan : null,
      incidentId: this.deps.repo.linkOf(call.id)?.incidentId ?? null,
    };
  }

  /** New calls join each running mass-call event they match; an event whose announcement is off ends. */
  private followMassCalls(): void {
    const active = this.deps.announcement.current();
    for (const decision of this.deps.repo.surgeDecisions()) {
      if (decision.decision !== 'accepted' || !decision.incidentId || !decision.eventTag) continue;
      const incident = this.deps.incidents.get(decision.incidentId);
      if (!incident.state.massCall?.active) continue;
      const by = principalSchema.parse({ kind: decision.by.split(':')[0], id: decision.by.slice(decision.by.indexOf(':') + 1) });
      if (active?.id !== decision.announcementId) {
        this.deps.incidents.massCall(decision.incidentId, { type: 'mass-call-ended', eventTag: decision.eventTag }, by);
        continue;
      }
      const suggestion = surgeSuggestionSchema.parse(JSON.parse(decision.suggestion));
      for (const call of this.recentCalls(decision.at)) {
        const candidate = this.surgeCallOf(call);
        if (candidate.incidentId !== null) continue;
        if (this.matches(call, candidate, suggestion, decision.eventTag)) this.linkQuietly(decision.incidentId, call.id, by);
      }
    }
  }

  private matches(call: CallRow, candidate: SurgeCall, suggestion: SurgeSuggestion, eventTag: string): boolean {
    // The caller pressed the announcement's key: their own word that they call about this.
    if (callTagsSchema.parse(JSON.parse(call.tags)).includes(`event:${eventTag}`)) return true;
    if (suggestion.kind === 'radius' && suggestion.centre && candidate.point) {
      // A caller still in the IVR (no category yet) near the fire is counted: the place says enough.
      const sameCategory = candidate.category === null || candidate.category === suggestion.category;
      return sameCategory && distanceM(suggestion.centre, candidate.point) <= this.deps.settings.radiusM + (candidate.point.accuracyM ?? 0);
    }
    if (suggestion.kind === 'kecamatan') return candidate.kecamatan !== null && candidate.kecamatan === suggestion.kecamatan && candidate.category === suggestion.category;
    return suggestion.kind === 'category' && candidate.point === null && candidate.category === suggestion.category;
  }

  /** A link that lost a race (the call was linked meanwhile) is not a failure of the mass-call event. */
  private linkQuietly(incidentId: string, callId: string, by: Principal): void {
    try {
      this.deps.incidents.link(incidentId, callId, by, 'surge');
    } catch (error) {
      if (error instanceof DomainError && error.errorId === 'call-already-linked') return;
      throw error;
    }
  }
}
