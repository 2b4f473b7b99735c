import type { z } from 'zod';
import { type Flow, flowSchema, type Step } from './flow-schema.js';

/** One reason a flow is refused: the step it concerns (when there is one) and the rule broken. */
export interface FlowProblem {
  step?: string;
  rule:
    | 'schema' | 'unknown-step-type' | 'duplicate-step' | 'dangling-target' | 'unreachable'
    | 'loop-without-exit' | 'missing-prompt' | 'missing-prompt-language' | 'default-language'
    | 'hangup-not-ghost' | 'no-enqueue';
  message: string;
}

export type FlowValidation = { ok: true; flow: Flow } | { ok: false; problems: FlowProblem[] };

const STEP_TYPES = new Set(['say', 'gather', 'branch', 'set', 'silenceCheck', 'enqueue', 'hangup', 'goto']);

/** The steps a step can lead to, with the field that names each. */
export function edges(step: Step): Array<{ field: string; target: string }> {
  switch (step.type) {
    case 'say': case 'gather': case 'set':
      return [{ field: 'next', target: step.next }];
    case 'goto':
      return [{ field: 'target', target: step.target }];
    case 'branch':
      return [...Object.entries(step.cases).map(([key, target]) => ({ field: `cases.${key}`, target })), { field: 'default', target: step.default }];
    case 'silenceCheck':
      return [{ field: 'onVoice', target: step.onVoice }, { field: 'onCode', target: step.onCode }, { field: 'onSilence', target: step.onSilence }];
    case 'enqueue': case 'hangup':
      return [];
  }
}

/**
 * Validates a flow document: the schema first, then the rules that keep an emergency IVR from
 * standing between a caller and an operator. Every problem names the step and the rule.
 */
export function validateFlow(raw: unknown): FlowValidation {
  const unknownTypes = unknownStepTypes(raw);
  if (unknownTypes.length > 0) return { ok: false, problems: unknownTypes };
  const parsed = flowSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: schemaProblems(parsed.error, raw) };
  const flow = parsed.data;
  const problems = [...structureProblems(flow), ...promptProblems(flow)];
  return problems.length > 0 ? { ok: false, problems } : { ok: true, flow };
}

function unknownStepTypes(raw: unknown): FlowProblem[] {
  const steps = (raw as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return [];
  return steps.flatMap((step: unknown, index) => {
    const { id, type } = (step ?? {}) as { id?: unknown; type?: unknown };
    if (typeof type === 'string' && STEP_TYPES.has(type)) return [];
    const name = typeof id === 'string' ? id : `#${index}`;
    return [{ step: name, rule: 'unknown-step-type' as const, message: `step ${name}: unknown step type ${JSON.stringify(type)} (known: ${[...STEP_TYPES].join(', ')})` }];
  });
}

function schemaProblems(error: z.ZodError, raw: unknown): FlowProblem[] {
  const steps = (raw as { steps?: unknown[] } | null)?.steps;
  return error.issues.map((issue) => {
    const [head, index, ...rest] = issue.path;
    if (head === 'steps' && typeof index === 'number') {
      const id = (steps?.[index] as { id?: unknown } | undefined)?.id;
      const name = typeof id === 'string' ? id : `#${index}`;
      return { step: name, rule: 'schema' as const, message: `step ${name}: ${rest.join('.') || 'step'}: ${issue.message}` };
    }
    return { rule: 'schema' as const, message: `${issue.path.join('.') || 'flow'}: ${issue.message}` };
  });
}

function structureProblems(flow: Flow): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const byId = new Map<string, Step>();
  for (const step of flow.steps) {
    if (byId.has(step.id)) problems.push({ step: step.id, rule: 'duplicate-step', message: `step ${step.id}: the id is used twice` });
    byId.set(step.id, step);
  }
  if (!flow.languages.includes(flow.defaultLanguage)) {
    problems.push({ rule: 'default-language', message: `defaultLanguage ${flow.defaultLanguage} is not one of the flow's languages` });
  }
  if (!byId.has(flow.start)) problems.push({ rule: 'dangling-target', message: `start: ${flow.start} is not a step` });
  for (const step of flow.steps) {
    for (const { field, target } of edges(step)) {
      if (!byId.has(target)) problems.push({ step: step.id, rule: 'dangling-target', message: `step ${step.id}: ${field} ${target} is not a step` });
    }
  }
  if (problems.length > 0) return problems;

  const reachable = reach(flow.start, byId);
  for (const step of flow.steps) {
    if (!reachable.has(step.id)) problems.push({ step: step.id, rule: 'unreachable', message: `step ${step.id}: no path from start reaches it` });
  }
  for (const loop of closedLoops(flow.steps.filter((s) => reachable.has(s.id)), byId)) {
    problems.push({ step: loop[0], rule: 'loop-without-exit', message: `steps ${loop.join(', ')}: they loop with no way out to an operator` });
  }
  const ghostTargets = new Set(flow.steps.flatMap((s) => (s.type === 'silenceCheck' ? [s.onSilence] : [])));
  for (const step of flow.steps) {
    if (step.type === 'hangup' && !ghostTargets.has(step.id)) {
      problems.push({ step: step.id, rule: 'hangup-not-ghost', message: `step ${step.id}: a hangup may only follow a silenceCheck's onSilence (ghost-call policy)` });
    }
  }
  if (!flow.steps.some((s) => s.type === 'enqueue' && reachable.has(s.id))) {
    problems.push({ rule: 'no-enqueue', message: 'no enqueue step is reachable: callers would never reach an operator' });
  }
  return problems;
}

function promptProblems(flow: Flow): FlowProblem[] {
  const uses: Array<{ where: string; step?: string; prompt: string }> = flow.steps
    .flatMap((step) => ('prompt' in step && step.prompt ? [{ where: `step ${step.id}`, step: step.id, prompt: step.prompt }] : []));
  if (flow.prankWarningPrompt) uses.push({ where: 'prankWarningPrompt', prompt: flow.prankWarningPrompt });
  const problems: FlowProblem[] = [];
  for (const { where, step, prompt } of uses) {
    const texts = flow.prompts[prompt];
    const at = step === undefined ? {} : { step };
    if (!texts) {
      problems.push({ ...at, rule: 'missing-prompt', message: `${where}: prompt ${prompt} is not defined` });
      continue;
    }
    for (const language of flow.languages) {
      if (!texts[language]) problems.push({ ...at, rule: 'missing-prompt-language', message: `${where}: prompt ${prompt} has no ${language} version` });
    }
  }
  return problems;
}

function reach(start: string, byId: Map<string, Step>): Set<string> {
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const step = byId.get(stack.pop()!);
    if (!step) continue;
    for (const { target } of edges(step)) {
      if (!seen.has(target)) {
        seen.add(target);
        stack.push(target);
      }
    }
  }
  return seen;
}

/** Strongly connected groups of steps that form a cycle and have no edge leaving them (Tarjan). */
function closedLoops(steps: Step[], byId: Map<string, Step>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (id: string): void => {
    index.set(id, counter);
    low.set(id, counter);
    counter += 1;
    stack.push(id);
    onStack.add(id);
    for (const { target } of edges(byId.get(id)!)) {
      if (!index.has(target)) {
        visit(target);
        low.set(id, Math.min(low.get(id)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(id, Math.min(low.get(id)!, index.get(target)!));
      }
    }
    if (low.get(id) === index.get(id)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== id);
      groups.push(group.reverse());
    }
  };
  for (const step of steps) if (!index.has(step.id)) visit(step.id);
  return groups.filter((group) => {
    const members = new Set(group);
    const cyclic = group.length > 1 || edges(byId.get(group[0]!)!).some((e) => e.target === group[0]);
    const exits = group.some((id) => edges(byId.get(id)!).some((e) => !members.has(e.target)));
    return cyclic && !exits;
  });
}
