import { describe, expect, it } from 'vitest';
import { DEFAULT_FLOW } from '../../../src/ivr/default-flow.js';
import type { FlowInput } from '../../../src/ivr/flow-schema.js';
import { validateFlow } from '../../../src/ivr/validate-flow.js';

/** The default flow with some steps replaced or added: a bad fixture differs from a good one by one rule. */
function variant(change: (flow: FlowInput) => void): unknown {
  const flow = structuredClone(DEFAULT_FLOW);
  change(flow);
  return flow;
}

const problemsOf = (raw: unknown) => {
  const result = validateFlow(raw);
  return result.ok ? [] : result.problems.map((p) => `${p.rule}: ${p.message}`);
};

describe('IVR flow validation', () => {
  it('given the shipped default flow, then it is valid', () => {
    expect(problemsOf(DEFAULT_FLOW)).toEqual([]);
  });

  it('given an unknown step type, then the step and the known types are named', () => {
    expect(problemsOf(variant((f) => { f.steps.push({ id: 'beep', type: 'play', next: 'queue' } as never); })))
      .toEqual(['unknown-step-type: step beep: unknown step type "play" (known: say, gather, branch, set, silenceCheck, enqueue, hangup, goto)']);
  });

  it('given a goto to a step that does not exist, then the dangling target is named', () => {
    expect(problemsOf(variant((f) => { f.steps[0] = { id: 'greeting', type: 'goto', target: 'welcome' }; })))
      .toEqual(['dangling-target: step greeting: target welcome is not a step']);
  });

  it('given a step nothing leads to, then it is unreachable', () => {
    expect(problemsOf(variant((f) => { f.steps.push({ id: 'orphan', type: 'enqueue', queue: 'main' }); })))
      .toEqual(['unreachable: step orphan: no path from start reaches it']);
  });

  it('given steps that loop with no way out, then the loop is refused', () => {
    expect(problemsOf(variant((f) => {
      f.steps[0] = { id: 'greeting', type: 'say', prompt: 'greeting', next: 'again' };
      f.steps.push({ id: 'again', type: 'goto', target: 'greeting' });
    }))).toContain('loop-without-exit: steps greeting, again: they loop with no way out to an operator');
  });

  it('given a loop with an exit (the English menu), then it is allowed', () => {
    const result = validateFlow(DEFAULT_FLOW);
    expect(result.ok).toBe(true);
  });

  it('given a prompt missing its English text in a bilingual flow, then the step and language are named', () => {
    expect(problemsOf(variant((f) => { f.prompts['cannot-speak'] = { id: 'Jika Anda tidak dapat berbicara, tekan 5 5.' }; })))
      .toEqual(['missing-prompt-language: step listen: prompt cannot-speak has no en version']);
  });

  it('given a step playing an undefined prompt, then it is named', () => {
    expect(problemsOf(variant((f) => { f.steps[0] = { id: 'greeting', type: 'say', prompt: 'welcome', next: 'menu' }; })))
      .toEqual(['missing-prompt: step greeting: prompt welcome is not defined']);
  });

  it('given a menu key that hangs up, then it is refused: only a ghost-call policy may end a call', () => {
    expect(problemsOf(variant((f) => {
      const route = f.steps.find((s) => s.id === 'route') as { cases: Record<string, string> };
      route.cases['7'] = 'bye';
      f.steps.push({ id: 'bye', type: 'hangup', policy: 'ghost' });
    }))).toEqual(['hangup-not-ghost: step bye: a hangup may only follow a silenceCheck\'s onSilence (ghost-call policy)']);
  });

  it('given a ghost-call hang-up after the silence check, then it is allowed', () => {
    expect(problemsOf(variant((f) => {
      const listen = f.steps.find((s) => s.id === 'listen') as { onSilence: string };
      listen.onSilence = 'bye';
      f.steps.push({ id: 'bye', type: 'hangup', policy: 'ghost' });
      f.steps = f.steps.filter((s) => s.id !== 'ghost');
    }))).toEqual([]);
  });

  it('given a hangup without a policy, then the schema names the step and field', () => {
    expect(problemsOf(variant((f) => { f.steps.push({ id: 'bye', type: 'hangup' } as never); })))
      .toEqual(['schema: step bye: policy: Invalid input: expected "ghost"']);
  });

  it('given a gather with a bad field, then the step and field are named', () => {
    expect(problemsOf(variant((f) => { (f.steps[1] as { maxDigits: number }).maxDigits = 0; })))
      .toEqual(['schema: step menu: maxDigits: Too small: expected number to be >=1']);
  });

  it('given the same step id twice, then it is refused', () => {
    expect(problemsOf(variant((f) => { f.steps.push({ id: 'queue', type: 'enqueue', queue: 'main' }); })))
      .toContain('duplicate-step: step queue: the id is used twice');
  });

  it('given a default language the flow does not offer, then it is refused', () => {
    expect(problemsOf(variant((f) => { f.languages = ['en']; })))
      .toContain('default-language: defaultLanguage id is not one of the flow\'s languages');
  });

  it('given no object at all, then the error says so', () => {
    expect(problemsOf('nope')).toEqual(['schema: flow: Invalid input: expected object, received string']);
  });
});
