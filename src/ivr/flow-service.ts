import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { IvrRepository } from '../db/ivr-repository.js';
import { DomainError } from '../errors.js';
import { presetFor } from './aliases.js';
import { DEFAULT_FLOW } from './default-flow.js';
import { diffFlows, type FlowDiff } from './flow-diff.js';
import { type Flow, flowSchema } from './flow-schema.js';
import { simulateFlow, type SimulatedInput, type SimulationResult } from './simulation.js';
import { validateFlow } from './validate-flow.js';

/** One stored version of a flow, and whether new calls run it. */
export const flowVersionInfoSchema = z.object({
  flowId: z.string(), version: z.number().int(), note: z.string(), createdAt: z.number().int(), active: z.boolean(),
});
export type FlowVersionInfo = z.infer<typeof flowVersionInfoSchema>;

/** The flow a new call runs: the document and its version are fixed for the life of the call. */
export interface FlowForCall {
  flow: Flow;
  version: number;
}

/**
 * Admin operations on IVR flows (save, activate, roll back, diff, simulate) and the lookup calls
 * use. Invalid documents are refused with every problem named and nothing stored.
 */
export class FlowService {
  /** Parsed documents by version: a stored version never changes, so each is parsed once. */
  private readonly parsed = new Map<number, Flow>();

  constructor(private readonly repo: IvrRepository, private readonly clock: Clock) {}

  /** Stores and activates the shipped default flow when no version of it is active yet. */
  ensureDefault(): void {
    const flow = flowSchema.parse(DEFAULT_FLOW);
    if (this.repo.activeVersion(flow.flowId) !== undefined) return;
    const version = this.repo.save(flow.flowId, flow, 'shipped default', this.clock.now());
    this.repo.activate(flow.flowId, version, 'activate', this.clock.now());
  }

  /** Validates without storing. */
  check(raw: unknown): Flow {
    const result = validateFlow(raw);
    if (!result.ok) throw new DomainError(422, 'invalid-flow', `flow refused: ${result.problems.length} problem(s)`, result.problems);
    return result.flow;
  }

  /** Validates and stores a new version (not active until activated). */
  create(raw: unknown, note: string): FlowVersionInfo {
    const flow = this.check(raw);
    const version = this.repo.save(flow.flowId, flow, note, this.clock.now());
    return this.info(version);
  }

  list(): Array<{ flowId: string; activeVersion: number | null; versions: FlowVersionInfo[] }> {
    return this.repo.flowIds().sort().map((flowId) => ({
      flowId,
      activeVersion: this.repo.activeVersion(flowId) ?? null,
      versions: this.repo.versions(flowId).map((row) => this.info(row.version)),
    }));
  }

  document(version: number): { info: FlowVersionInfo; flow: Flow } {
    return { info: this.info(version), flow: this.load(version) };
  }

  activate(flowId: string, version: number): FlowVersionInfo {
    this.load(version, flowId);
    this.repo.activate(flowId, version, 'activate', this.clock.now());
    return this.info(version);
  }

  /** Re-activates the version that was active before the current one. */
  rollback(flowId: string): FlowVersionInfo {
    const previous = this.repo.previousActive(flowId);
    if (previous === undefined) throw new DomainError(409, 'nothing-to-roll-back', `flow ${flowId} has no earlier active version`);
    this.repo.activate(flowId, previous, 'rollback', this.clock.now());
    return this.info(previous);
  }

  diff(flowId: string, from: number, to: number): FlowDiff {
    return diffFlows(this.load(from, flowId), this.load(to, flowId));
  }

  simulate(version: number, inputs: SimulatedInput[], dialled: string): Promise<SimulationResult> {
    const preset = presetFor(dialled);
    return simulateFlow(this.load(version), { dialled, category: preset.category, priority: preset.priority }, inputs);
  }

  /** The active document of a flow, or undefined. */
  activeFlow(flowId: string): Flow | undefined {
    const version = this.repo.activeVersion(flowId);
    return version === undefined ? undefined : this.load(version);
  }

  /** The active flow for a dialled number; undefined when none is active (the call skips the IVR). */
  forCall(dialled: string): (FlowForCall & { preset: ReturnType<typeof presetFor> }) | undefined {
    const preset = presetFor(dialled);
    const version = this.repo.activeVersion(preset.flowId);
    if (version === undefined) return undefined;
    return { flow: this.load(version), version, preset };
  }

  private load(version: number, flowId?: string): Flow {
    const cached = this.parsed.get(version);
    if (cached && (flowId === undefined || cached.flowId === flowId)) return cached;
    const row = this.repo.version(version);
    if (!row || (flowId !== undefined && row.flowId !== flowId)) {
      throw new DomainError(404, 'flow-version-not-found', `no version ${version}${flowId ? ` of flow ${flowId}` : ''}`);
    }
    const flow = flowSchema.parse(JSON.parse(row.document));
    this.parsed.set(version, flow);
    return flow;
  }

  private info(version: number): FlowVersionInfo {
    const row = this.repo.version(version);
    if (!row) throw new DomainError(404, 'flow-version-not-found', `no version ${version}`);
    return { flowId: row.flowId, version: row.version, note: row.note, createdAt: row.createdAt, active: this.repo.activeVersion(row.flowId) === row.version };
  }
}
