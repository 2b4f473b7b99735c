import { z } from 'zod';
import type { Flow } from './flow-schema.js';
import { type IvrContext, type IvrDriver, type IvrOutcome, type PromptRef, runFlow } from './interpreter.js';

/**
 * One thing a simulated caller does, in order. Each input is consumed by the next point where
 * the flow waits for the caller (a prompt, a gather, a listen): "silence" means the caller stays
 * silent through it, "talking" that they speak, "digits" that they press keys (stopping a prompt
 * that allows barge-in), "hangup" that they hang up.
 */
export const simulatedInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('digits'), digits: z.string().regex(/^[0-9*#]{1,16}$/, 'digits are 0-9, * and #') }).strict(),
  z.object({ type: z.literal('silence') }).strict(),
  z.object({ type: z.literal('talking') }).strict(),
  z.object({ type: z.literal('hangup') }).strict(),
]);
export type SimulatedInput = z.infer<typeof simulatedInputSchema>;

export interface SimulationResult {
  outcome: IvrOutcome | { kind: 'caller-hangup'; path: string[]; prompts: PromptRef[] };
  prompts: Array<PromptRef & { text: string }>;
  /** Simulated time from answer to the end of the IVR, ms. */
  elapsedMs: number;
}

/** Speaking time estimated from a prompt's text (about 14 characters a second). */
export const estimatePromptMs = (text: string): number => Math.round(text.length * 70);

class SimulatedHangup extends Error {}

/**
 * Runs a flow against scripted caller inputs on a virtual clock, with the same interpreter as real
 * calls: what an admin sees in a dry run is what a caller would get.
 */
export async function simulateFlow(flow: Flow, context: IvrContext, inputs: SimulatedInput[]): Promise<SimulationResult> {
  const queue = [...inputs];
  const start = 0;
  let now = start;
  let voice = false;
  const clock = { now: () => now };
  const advance = (ms: number, deadline: number) => {
    now = Math.min(now + ms, Math.max(now, deadline));
  };
  const take = () => {
    const next = queue[0];
    if (next?.type === 'hangup') throw new SimulatedHangup();
    return next;
  };
  const played: Array<PromptRef & { text: string }> = [];
  const path: string[] = [];
  const driver: IvrDriver = {
    async play(prompt, { bargeIn, deadline }) {
      const text = flow.prompts[prompt.promptId]?.[prompt.language] ?? '';
      played.push({ ...prompt, text });
      const duration = estimatePromptMs(text);
      const next = take();
      // "silence" and "talking" last through the prompt they fall on.
      if (next?.type === 'silence') {
        queue.shift();
      } else if (next?.type === 'talking') {
        queue.shift();
        voice = true;
      } else if (next?.type === 'digits' && bargeIn) {
        queue.shift();
        advance(duration / 2, deadline);
        return { digits: next.digits };
      }
      advance(duration, deadline);
      return { digits: '' };
    },
    async collect({ maxDigits, firstDigitTimeoutMs, initial, deadline }) {
      if (initial.length > 0) return initial;
      const next = take();
      if (next?.type === 'digits') {
        queue.shift();
        advance(500, deadline);
        return next.digits.slice(0, maxDigits);
      }
      if (next) queue.shift();
      if (next?.type === 'talking') voice = true;
      advance(firstDigitTimeoutMs, deadline);
      return '';
    },
    async listen({ ms, maxDigits, deadline }) {
      const next = take();
      if (next) queue.shift();
      if (next?.type === 'talking') {
        voice = true;
        advance(500, deadline);
        return { heard: 'voice' };
      }
      if (next?.type === 'digits') {
        advance(500, deadline);
        return { heard: 'digits', digits: next.digits.slice(0, maxDigits) };
      }
      advance(ms, deadline);
      return { heard: 'silence' };
    },
    heardVoice: () => voice,
  };
  try {
    const outcome = await runFlow(flow, context, driver, clock, path);
    return { outcome, prompts: played, elapsedMs: now - start };
  } catch (error) {
    if (!(error instanceof SimulatedHangup)) throw error;
    return { outcome: { kind: 'caller-hangup', path, prompts: played.map(({ promptId, language }) => ({ promptId, language })) }, prompts: played, elapsedMs: now - start };
  }
}
