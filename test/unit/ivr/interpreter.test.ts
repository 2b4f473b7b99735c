import { describe, expect, it } from 'vitest';
import { DEFAULT_FLOW } from '../../../src/ivr/default-flow.js';
import { type Flow, flowSchema } from '../../../src/ivr/flow-schema.js';
import { simulateFlow, type SimulatedInput } from '../../../src/ivr/simulation.js';

const flow: Flow = flowSchema.parse(DEFAULT_FLOW);
const run = (inputs: SimulatedInput[], context = { dialled: '112' }, f: Flow = flow) => simulateFlow(f, context, inputs);
const digits = (d: string): SimulatedInput => ({ type: 'digits', digits: d });

describe('IVR interpreter (default flow, simulated caller)', () => {
  it('given a caller who presses nothing and says nothing, then they are queued as a ghost in the lowest lane within 15 s', async () => {
    const { outcome, elapsedMs, prompts } = await run([]);
    expect(outcome).toMatchObject({ kind: 'enqueue', queue: 'main', priority: 0, tags: ['ghost'], language: 'id', capped: false });
    expect(prompts.map((p) => p.promptId)).toEqual(['greeting', 'menu', 'cannot-speak']);
    expect(elapsedMs).toBeLessThanOrEqual(15_000);
  });

  it('given a caller who presses 2 during the menu, then the call is a fire call at the top priority', async () => {
    const { outcome } = await run([digits('2')]);
    expect(outcome).toMatchObject({ kind: 'enqueue', category: 'fire', priority: 90, tags: [] });
  });

  it('given a key pressed over the greeting, then the greeting stops and the key chooses from the menu', async () => {
    const { outcome, prompts } = await run([digits('3')]);
    expect(outcome).toMatchObject({ category: 'medical', priority: 90 });
    expect(prompts.map((p) => p.promptId)).toEqual(['greeting']);
  });

  it('given 9 then 1, then the menu is replayed in English and the call is a traffic call in English', async () => {
    const { outcome, prompts } = await run([digits('9'), digits('1')]);
    expect(outcome).toMatchObject({ category: 'traffic', language: 'en', priority: 70 });
    expect(prompts.map((p) => `${p.promptId}/${p.language}`)).toEqual(['greeting/id', 'menu/en']);
  });

  it('given a caller who talks but presses nothing, then they reach an operator as an unclassified real call', async () => {
    const { outcome } = await run([{ type: 'talking' }]);
    expect(outcome).toMatchObject({ kind: 'enqueue', category: 'other', priority: 50, tags: [] });
  });

  it('given a silent caller who presses 5 5 after the prompt, then they are queued high, tagged silent-caller', async () => {
    // Silent through the greeting, the menu and its wait; 5 5 over the "cannot speak?" prompt.
    const { outcome } = await run([{ type: 'silence' }, { type: 'silence' }, { type: 'silence' }, digits('55')]);
    expect(outcome).toMatchObject({ kind: 'enqueue', priority: 95, tags: ['silent-caller'] });
  });

  it('given a key no menu entry uses, then the caller is live: queued unclassified without the silence prompt', async () => {
    const { outcome, prompts } = await run([digits('7')]);
    expect(outcome).toMatchObject({ kind: 'enqueue', category: 'other', priority: 50, tags: [] });
    expect(prompts.map((p) => p.promptId)).toEqual(['greeting']);
  });

  it('given a caller who hangs up during the menu, then the simulation says so with the path so far', async () => {
    const { outcome } = await run([{ type: 'hangup' }]);
    expect(outcome).toMatchObject({ kind: 'caller-hangup', path: ['greeting'] });
  });

  it('given the police alias preset, then an unclassified call keeps the crime category', async () => {
    const { outcome } = await run([{ type: 'talking' }], { dialled: '110', category: 'crime', priority: 60 } as never);
    expect(outcome).toMatchObject({ category: 'crime', priority: 60 });
  });

  it('given a flow whose menu loops on a key, when the caller keeps pressing it, then the hard cap enqueues them', async () => {
    const looping = flowSchema.parse({ ...DEFAULT_FLOW, maxIvrMs: 10_000 });
    const { outcome, elapsedMs } = await run(Array.from({ length: 40 }, () => digits('9')), { dialled: '112' }, looping);
    expect(outcome).toMatchObject({ kind: 'enqueue', capped: true, language: 'en' });
    expect(elapsedMs).toBeLessThanOrEqual(10_000);
  });
});
