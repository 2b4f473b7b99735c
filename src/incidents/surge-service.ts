import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { auditName, type Principal, principalSchema } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { type CallRow, type CallsRepository, callTagsSchema } from '../db/calls-repository.js';
import type { IncidentsRepository, SurgeDecisionRow } from '../db/incidents-repository.js';
import { DomainError } from '../errors.js';
import type { CallLocation } from '../geo/best-location.js';
import { distanceM } from '../geo/distance.js';
import { categorySchema } from '../ivr/flow-schema.js';
import type { Logger } from '../log.js';
import type { IncidentService } from './incident-service.js';
import { detectSurges, type SurgeCall, type SurgeSettings, type SurgeSuggestion, surgeSuggestionSchema, withAnnouncementKey } from './surge-detection.js';

/** What a surge needs of the mass-call announcement (the IVR's announcement service). */
export interface MassCallAnnouncement {
  current(): { id: number; eventTag: string } | undefined;
  start(input: { texts: { id: string; en?: string }; key: string; eventTag: string }): Promise<{ id: number }>;
  stop(): boolean;
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
  /** Keys being accepted now (between the check and the transaction there is the announcement's audio to make). */
  private readonly accepting = new Set<string>();

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
    return this.open().suggestions;
  }

  /** Records new suggestions (once each) and links new calls to the mass-call events running. */
  tick(): void {
    const { suggestions, decisions } = this.open();
    const seen = new Set(decisions.map((d) => d.surgeKey));
    for (const suggestion of suggestions) {
      if (seen.has(suggestion.key)) continue;
      this.deps.repo.addSurgeDecision({ surgeKey: suggestion.key, decision: 'suggested', suggestion: JSON.stringify(suggestion), incidentId: null, announcementId: null, eventTag: null, at: this.deps.clock.now(), by: DETECTOR });
      this.deps.log.info({ surgeKey: suggestion.key, calls: suggestion.callIds.length }, 'surge suggested to supervisors');
    }
    this.followMassCalls();
  }

  /**
   * The announcement goes on first (making its audio is what may fail); then the incident, its
   * links, the decision and the mass-call mark are one transaction. Should that fail, the
   * announcement is switched off again: no announcement runs for an incident that does not exist.
   */
  async accept(key: string, input: AcceptSurge, by: Principal): Promise<{ incidentId: string; eventTag: string; announcementId: number; linked: string[] }> {
    const suggestion = this.suggestions().find((s) => s.key === key);
    if (!suggestion) throw new DomainError(404, 'surge-not-found', `no open surge suggestion ${key} (decided, or no longer a surge)`);
    // Two supervisors clicking at once: the second must not start (and then stop) an announcement.
    if (this.accepting.has(key)) throw new DomainError(409, 'surge-being-accepted', `surge ${key} is being accepted by someone else`);
    this.accepting.add(key);
    try {
      return await this.acceptOpen(suggestion, input, by);
    } finally {
      this.accepting.delete(key);
    }
  }

  private async acceptOpen(suggestion: SurgeSuggestion, input: AcceptSurge, by: Principal): Promise<{ incidentId: string; eventTag: string; announcementId: number; linked: string[] }> {
    const incidentId = randomUUID();
    const eventTag = input.eventTag ?? `incident-${incidentId.slice(0, 8)}`;
    const texts = input.texts ?? withAnnouncementKey(suggestion.proposedAnnouncement, input.key);
    const announcement = await this.deps.announcement.start({ texts, key: input.key, eventTag });
    try {
      this.deps.repo.transaction(() => this.record(incidentId, suggestion, eventTag, announcement.id, by));
    } catch (error) {
      // Only our own announcement is switched off, never one somebody started meanwhile.
      if (this.deps.announcement.current()?.id === announcement.id) this.deps.announcement.stop();
      throw error;
    }
    return { incidentId, eventTag, announcementId: announcement.id, linked: this.deps.incidents.get(incidentId).calls.map((c) => c.callId) };
  }

  private record(incidentId: string, suggestion: SurgeSuggestion, eventTag: string, announcementId: number, by: Principal): void {
    const decided = this.deps.repo.surgeDecisionsSince(suggestion.firstAt).some((d) => d.surgeKey === suggestion.key && d.decision !== 'suggested');
    if (decided) throw new DomainError(409, 'surge-decided', `surge ${suggestion.key} was decided meanwhile`);
    const [firstCall, ...others] = suggestion.callIds;
    const category = suggestion.category ?? 'other';
    const place = suggestion.kecamatan ? ` (${suggestion.kecamatan})` : '';
    this.deps.incidents.create({
      callId: firstCall!, category, description: `Mass-call event: ${suggestion.callIds.length} calls about ${category}${place}`,
      severity: 'serious', peopleAffected: 0, peopleHurt: false,
      ...(suggestion.centre ? { location: { ...suggestion.centre, accuracyM: this.deps.settings.radiusM, description: 'centre of the calls\' locations' } } : {}),
    }, by, incidentId);
    for (const callId of others) if (this.aboutThis(callId, suggestion)) this.linkQuietly(incidentId, callId, by);
    this.deps.repo.addSurgeDecision({
      surgeKey: suggestion.key, decision: 'accepted', suggestion: JSON.stringify(suggestion), incidentId, announcementId, eventTag, at: this.deps.clock.now(), by: auditName(by),
    });
    this.deps.incidents.massCall(incidentId, { type: 'mass-call-started', eventTag, surgeKey: suggestion.key, announcementId }, by);
  }

  dismiss(key: string, by: Principal): void {
    const suggestion = this.suggestions().find((s) => s.key === key);
    if (!suggestion) throw new DomainError(404, 'surge-not-found', `no open surge suggestion ${key}`);
    this.deps.repo.addSurgeDecision({ surgeKey: key, decision: 'dismissed', suggestion: JSON.stringify(suggestion), incidentId: null, announcementId: null, eventTag: null, at: this.deps.clock.now(), by: auditName(by) });
  }

  /** Every decision, newest last: the audit supervisors and admins read. */
  decisions(): SurgeDecisionRow[] {
    return this.deps.repo.surgeDecisions();
  }

  /** The window's surges nobody decided on, and the decisions that could concern them. */
  private open(): { suggestions: SurgeSuggestion[]; decisions: SurgeDecisionRow[] } {
    const { settings, clock, repo } = this.deps;
    const now = clock.now();
    const since = now - settings.windowMs;
    const decisions = repo.surgeDecisionsSince(since);
    const decided = new Set(decisions.filter((d) => d.decision !== 'suggested').map((d) => d.surgeKey));
    const calls = this.recentCalls(since);
    const links = new Map(repo.linksOf(calls.map((c) => c.id)).map((link) => [link.callId, link.incidentId]));
    const suggestions = detectSurges(calls.map((call) => this.surgeCallOf(call, links)), now, settings).filter((s) => !decided.has(s.key));
    return { suggestions, decisions };
  }

  private recentCalls(since: number): CallRow[] {
    return this.deps.calls.list({ from: since, limit: 5000, offset: 0 }).items;
  }

  private surgeCallOf(call: CallRow, links: ReadonlyMap<string, string>): SurgeCall {
    const fix = this.deps.locationOf(call.id).best?.fix;
    const point = fix && fix.latitude !== null && fix.longitude !== null ? { latitude: fix.latitude, longitude: fix.longitude, accuracyM: fix.accuracyM } : null;
    const category = categorySchema.safeParse(call.category);
    return {
      callId: call.id, arrivedAt: call.arrivedAt, category: category.success ? category.data : null, point,
      kecamatan: fix?.kecamatan && fix.kecamatan !== 'outside Kota Bekasi' ? fix.kecamatan : null,
      incidentId: links.get(call.id) ?? null,
    };
  }

  /** New calls join the running mass-call event they match; an event whose announcement is off ends. */
  private followMassCalls(): void {
    const active = this.deps.announcement.current();
    for (const decision of this.deps.repo.openMassCalls()) {
      if (!decision.incidentId || !decision.eventTag) continue;
      const by = principalSchema.parse({ kind: decision.by.split(':')[0], id: decision.by.slice(decision.by.indexOf(':') + 1) });
      if (active?.id !== decision.announcementId) {
        this.end(decision, by);
        continue;
      }
      const suggestion = surgeSuggestionSchema.parse(JSON.parse(decision.suggestion));
      // Calls of the last window only: a call gets its location and its key press within its first minute.
      const calls = this.recentCalls(Math.max(decision.at, this.deps.clock.now() - this.deps.settings.windowMs));
      const links = new Map(this.deps.repo.linksOf(calls.map((c) => c.id)).map((link) => [link.callId, link.incidentId]));
      for (const call of calls) {
        const candidate = this.surgeCallOf(call, links);
        if (candidate.incidentId !== null) continue;
        if (this.matches(call, candidate, suggestion, decision.eventTag)) this.linkQuietly(decision.incidentId, call.id, by);
      }
    }
  }

  /** The announcement was switched off: linking stops, the incident and the audit say so. */
  private end(decision: SurgeDecisionRow, by: Principal): void {
    const { repo, incidents, clock } = this.deps;
    repo.transaction(() => {
      incidents.massCall(decision.incidentId!, { type: 'mass-call-ended', eventTag: decision.eventTag! }, by);
      repo.addSurgeDecision({
        surgeKey: decision.surgeKey, decision: 'ended', suggestion: decision.suggestion, incidentId: decision.incidentId, announcementId: decision.announcementId,
        // Whoever switched the announcement off is not known here: the end is kept under the decision's author.
        eventTag: decision.eventTag, at: clock.now(), by: decision.by,
      });
    });
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

  /**
   * A call near the fire whose caller chose another category in the IVR (a robbery two streets
   * away) is counted in the surge but not made a duplicate of it: the operator handles it.
   */
  private aboutThis(callId: string, suggestion: SurgeSuggestion): boolean {
    const category = categorySchema.safeParse(this.deps.calls.findById(callId)?.category);
    return suggestion.category === null || !category.success || category.data === suggestion.category;
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
