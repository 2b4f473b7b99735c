import { describe, expect, it } from 'vitest';
import { CallTrail } from '../../../src/demo/call-trail.js';
import { GHOST_POLICY_FLOW } from '../../../src/demo/demo-flows.js';
import { type CallerBehaviour, runDemoIvr } from '../../../src/demo/ivr-run.js';
import { Random } from '../../../src/demo/random.js';
import { DEFAULT_FLOW } from '../../../src/ivr/default-flow.js';
import { flowSchema } from '../../../src/ivr/flow-schema.js';

const ANSWERED_AT = 1_767_200_400_000;

async function run(behaviour: CallerBehaviour, options: { flow?: typeof DEFAULT_FLOW; prank?: boolean; hangupAfterMs?: number } = {}) {
  const trail = new CallTrail({ id: 'c1', channelId: '1.1', callerNumber: '081234567890', callerNumberKey: '+6281234567890', dialledNumber: '112', arrivedAt: ANSWERED_AT - 300 });
  const result = await runDemoIvr({
    flow: flowSchema.parse(options.flow ?? DEFAULT_FLOW), version: 1, behaviour, callerNumber: '081234567890', answeredAt: ANSWERED_AT,
    hangupAt: options.hangupAfterMs === undefined ? null : ANSWERED_AT + options.hangupAfterMs, context: { dialled: '112', prank: options.prank ?? false },
  }, trail, new Random(1));
  return { ...result, notes: trail.ordered().map((e) => e.type) };
}

describe('a demo caller in the shipped IVR (the real interpreter)', () => {
  it('given a caller who presses 2 over the menu, then the call is a fire at priority 90, the key stopping the prompt', async () => {
    const { outcome, notes, endAt } = await run({ type: 'key', key: '2', when: 'menu', english: false });
    expect(outcome).toMatchObject({ kind: 'enqueue', category: 'fire', priority: 90, language: 'id', tags: [] });
    expect(notes).toEqual(['ivr-started', 'prompt-started', 'prompt-finished', 'prompt-started', 'dtmf', 'prompt-finished']);
    expect(endAt - ANSWERED_AT).toBeLessThan(8000);
  });

  it('given a caller who presses 9 and then 3, then the call is medical in English', async () => {
    const { outcome } = await run({ type: 'key', key: '3', when: 'menu', english: true });
    expect(outcome).toMatchObject({ category: 'medical', language: 'en' });
  });

  it('given a caller who only speaks, then they are queued unclassified at the default priority, without the silent-caller prompt', async () => {
    const { outcome, notes } = await run({ type: 'voice', english: false });
    expect(outcome).toMatchObject({ kind: 'enqueue', category: 'other', priority: 50, tags: [] });
    expect(notes).toContain('talking');
    expect(notes.filter((type) => type === 'prompt-started')).toHaveLength(2);
    expect(outcome!.path).toEqual(['greeting', 'menu', 'route', 'listen', 'queue']);
  });

  it('given a caller who cannot speak and presses 5 5, then the call is tagged silent-caller at priority 95', async () => {
    const { outcome } = await run({ type: 'silent-code' });
    expect(outcome).toMatchObject({ tags: ['silent-caller'], priority: 95 });
  });

  it('given silence, then the shipped flow queues a ghost call at priority 0, and the policy trial\'s flow hangs up', async () => {
    expect((await run({ type: 'silence' })).outcome).toMatchObject({ kind: 'enqueue', tags: ['ghost'], priority: 0 });
    expect((await run({ type: 'silence' }, { flow: GHOST_POLICY_FLOW })).outcome).toMatchObject({ kind: 'hangup' });
  });

  it('given a number in the prank lane, then the warning plays first and the call waits at priority 1', async () => {
    const { outcome, notes } = await run({ type: 'key', key: '1', when: 'menu', english: false }, { prank: true });
    expect(outcome).toMatchObject({ priority: 1, tags: ['prank-lane'] });
    expect(notes.slice(0, 3)).toEqual(['ivr-started', 'prank-lane', 'prompt-started']);
  });

  it('given a caller who hangs up 2 s in, then the IVR ends there, without an outcome', async () => {
    const { outcome, endAt } = await run({ type: 'voice', english: false }, { hangupAfterMs: 2000 });
    expect(outcome).toBeNull();
    expect(endAt).toBe(ANSWERED_AT + 2000);
  });
});
