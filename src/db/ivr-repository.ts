import { and, desc, eq } from 'drizzle-orm';
import type { Db } from './database.js';
import { ivrActivations, ivrActiveFlows, ivrFlowVersions } from './schema.js';

export type FlowVersionRow = typeof ivrFlowVersions.$inferSelect;

/**
 * IVR flow versions and which one is active. Activation is one transaction: a call that looks up
 * the active flow sees either the old version or the new one, never a mix, and calls already in
 * the IVR keep the document they started with.
 */
export class IvrRepository {
  constructor(private readonly db: Db) {}

  save(flowId: string, document: object, note: string, at: number): number {
    const row = this.db.insert(ivrFlowVersions)
      .values({ flowId, document: JSON.stringify(document), note, createdAt: at })
      .returning({ version: ivrFlowVersions.version }).get();
    return row.version;
  }

  version(version: number): FlowVersionRow | undefined {
    return this.db.select().from(ivrFlowVersions).where(eq(ivrFlowVersions.version, version)).get();
  }

  versions(flowId: string): FlowVersionRow[] {
    return this.db.select().from(ivrFlowVersions).where(eq(ivrFlowVersions.flowId, flowId)).orderBy(desc(ivrFlowVersions.version)).all();
  }

  flowIds(): string[] {
    return this.db.selectDistinct({ flowId: ivrFlowVersions.flowId }).from(ivrFlowVersions).all().map((r) => r.flowId);
  }

  activeVersion(flowId: string): number | undefined {
    return this.db.select().from(ivrActiveFlows).where(eq(ivrActiveFlows.flowId, flowId)).get()?.version;
  }

  /** The active document of a flow, or undefined when none is active. */
  active(flowId: string): FlowVersionRow | undefined {
    const version = this.activeVersion(flowId);
    return version === undefined ? undefined : this.version(version);
  }

  /** Makes `version` the active one for its flow and records it; returns the previous version. */
  activate(flowId: string, version: number, action: 'activate' | 'rollback', at: number): number | undefined {
    return this.db.transaction((tx) => {
      const previous = tx.select().from(ivrActiveFlows).where(eq(ivrActiveFlows.flowId, flowId)).get()?.version;
      tx.insert(ivrActiveFlows).values({ flowId, version, activatedAt: at })
        .onConflictDoUpdate({ target: ivrActiveFlows.flowId, set: { version, activatedAt: at } }).run();
      tx.insert(ivrActivations).values({ flowId, version, previousVersion: previous ?? null, action, at }).run();
      return previous;
    });
  }

  /** The version that was active before the current one (for rollback). */
  previousActive(flowId: string): number | undefined {
    const current = this.activeVersion(flowId);
    const last = this.db.select().from(ivrActivations)
      .where(and(eq(ivrActivations.flowId, flowId), eq(ivrActivations.version, current ?? -1)))
      .orderBy(desc(ivrActivations.id)).get();
    return last?.previousVersion ?? undefined;
  }
}
