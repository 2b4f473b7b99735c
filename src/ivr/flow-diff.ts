import type { Flow } from './flow-schema.js';

export interface FlowDiff {
  steps: { added: string[]; removed: string[]; changed: string[] };
  prompts: { added: string[]; removed: string[]; changed: string[] };
  settings: string[];
}

/** What changed between two versions of a flow, by step id, prompt id and top-level setting. */
export function diffFlows(from: Flow, to: Flow): FlowDiff {
  const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((i) => [i.id, JSON.stringify(i)]));
  const compare = (a: Map<string, string>, b: Map<string, string>) => ({
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    changed: [...b.keys()].filter((k) => a.has(k) && a.get(k) !== b.get(k)).sort(),
  });
  const prompts = (flow: Flow) => new Map(Object.entries(flow.prompts).map(([k, v]) => [k, JSON.stringify(v)]));
  const settings = (['description', 'languages', 'defaultLanguage', 'maxIvrMs', 'start'] as const)
    .filter((key) => JSON.stringify(from[key]) !== JSON.stringify(to[key]));
  return { steps: compare(byId(from.steps), byId(to.steps)), prompts: compare(prompts(from), prompts(to)), settings };
}
