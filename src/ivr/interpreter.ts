import type { TimeSource } from '../clock.js';
import type { Category, Flow, Language, Step } from './flow-schema.js';

/** A prompt to play: the flow's prompt id in the caller's current language. */
export interface PromptRef {
  promptId: string;
  language: Language;
}

/**
 * What the interpreter needs from a call (or a simulation). Every wait ends by `deadline` (ms
 * since the epoch, the IVR's hard cap) with whatever it has; a caller hang-up rejects.
 */
export interface IvrDriver {
  /** Plays a prompt; with bargeIn, a key press stops it and the digits are returned. */
  play(prompt: PromptRef, options: { bargeIn: boolean; deadline: number }): Promise<{ digits: string }>;
  /** Collects up to maxDigits (starting from digits typed over the prompt); '' on timeout. */
  collect(options: { maxDigits: number; firstDigitTimeoutMs: number; interDigitTimeoutMs: number; initial: string; deadline: number }): Promise<string>;
  /** Listens for talking or a key; "voice", the digits pressed, or "silence" after `ms`. */
  listen(options: { ms: number; maxDigits: number; deadline: number }): Promise<{ heard: 'voice' | 'silence' } | { heard: 'digits'; digits: string }>;
  /** True when the caller has spoken at any time since the IVR started. */
  heardVoice(): boolean;
}

export interface IvrContext {
  dialled: string;
  /** Preset by the dialled alias (110 crime, 113 fire, 118/119 medical). */
  category?: Category;
  priority?: number;
  tags?: string[];
  /** The caller's number is in the prank lane: warn first, queue last (never block). */
  prank?: boolean;
  /** A mass-call announcement is on: the flow carries its prompt as ANNOUNCEMENT_PROMPT. */
  announcement?: { key: string; eventTag: string };
}

/** The prompt id under which an active announcement is added to a call's copy of its flow. */
export const ANNOUNCEMENT_PROMPT = 'announcement';

/** A copy of the flow that also holds the announcement's texts (each flow language; id as stand-in). */
export function withAnnouncement(flow: Flow, texts: Partial<Record<Language, string>>): Flow {
  const prompt = Object.fromEntries(flow.languages.map((language) => [language, texts[language] ?? texts.id ?? '']));
  return { ...flow, prompts: { ...flow.prompts, [ANNOUNCEMENT_PROMPT]: prompt } };
}

/** Queue priority of the prank lane: behind every real caller, ahead of ghost calls (0). */
export const PRANK_PRIORITY = 1;

export interface IvrOutcome {
  kind: 'enqueue' | 'hangup';
  queue: string;
  priority: number;
  category: Category;
  language: Language;
  tags: string[];
  /** Step ids in the order they ran. */
  path: string[];
  prompts: PromptRef[];
  /** True when the hard cap ended the IVR. */
  capped: boolean;
}

/** Default priority of a call nothing has classified. */
export const DEFAULT_PRIORITY = 50;

/**
 * Runs a validated flow to its end: an enqueue (the normal case), the cap (enqueued with what is
 * known), or a ghost-policy hangup. Real calls and simulations run this same function with
 * different drivers. Steps are counted so a flow that loops on input still ends at the cap.
 */
export async function runFlow(flow: Flow, context: IvrContext, driver: IvrDriver, clock: TimeSource, path: string[] = []): Promise<IvrOutcome> {
  const steps = new Map(flow.steps.map((s) => [s.id, s]));
  const deadline = clock.now() + flow.maxIvrMs;
  const state = {
    language: flow.defaultLanguage,
    category: context.category ?? 'other',
    /** Set by the dialled alias or a set step; otherwise the enqueue step's default applies. */
    priority: context.priority,
    tags: [...(context.tags ?? [])],
    digits: '',
    typedAhead: '',
  };
  const prompts: PromptRef[] = [];
  const outcome = (kind: 'enqueue' | 'hangup', queue: string, capped: boolean, fallbackPriority = DEFAULT_PRIORITY): IvrOutcome => ({
    kind, queue, priority: context.prank ? PRANK_PRIORITY : state.priority ?? fallbackPriority, category: state.category, language: state.language, tags: [...new Set(state.tags)], path, prompts, capped,
  });
  /** Plays a prompt; returns the digits that interrupted it (barge-in). */
  const play = async (promptId: string, bargeIn: boolean): Promise<string> => {
    const prompt = { promptId, language: state.language };
    prompts.push(prompt);
    return (await driver.play(prompt, { bargeIn, deadline })).digits;
  };

  if (context.prank) {
    state.tags.push('prank-lane');
    if (flow.prankWarningPrompt) await play(flow.prankWarningPrompt, false);
  }
  if (context.announcement && flow.prompts[ANNOUNCEMENT_PROMPT]) {
    path.push(ANNOUNCEMENT_PROMPT);
    const typed = await play(ANNOUNCEMENT_PROMPT, true);
    const key = typed || await driver.collect({ maxDigits: 1, firstDigitTimeoutMs: 1500, interDigitTimeoutMs: 0, initial: '', deadline });
    if (key.startsWith(context.announcement.key)) {
      // A caller about the announced event: tagged to it and straight to an operator.
      state.tags.push(`event:${context.announcement.eventTag}`);
      return outcome('enqueue', 'main', false);
    }
    state.typedAhead += key;
  }
  let current: Step | undefined = steps.get(flow.start);
  while (current) {
    if (clock.now() >= deadline || path.length >= 200) return outcome('enqueue', 'main', true);
    const step: Step = current;
    path.push(step.id);
    switch (step.type) {
      case 'say':
        state.typedAhead += await play(step.prompt, step.bargeIn);
        current = steps.get(step.next);
        break;
      case 'gather': {
        let digits = '';
        for (let attempt = 0; attempt <= step.retries && digits === ''; attempt += 1) {
          if (step.prompt && state.typedAhead === '') state.typedAhead += await play(step.prompt, step.bargeIn);
          digits = await driver.collect({
            maxDigits: step.maxDigits, firstDigitTimeoutMs: step.firstDigitTimeoutMs,
            interDigitTimeoutMs: step.interDigitTimeoutMs, initial: state.typedAhead.slice(0, step.maxDigits), deadline,
          });
          state.typedAhead = '';
        }
        state.digits = digits;
        current = steps.get(step.next);
        break;
      }
      case 'branch': {
        const value = { digits: state.digits, language: state.language, category: state.category, dialled: context.dialled }[step.on];
        current = steps.get(step.cases[value] ?? step.default);
        break;
      }
      case 'set':
        if (step.language) state.language = step.language;
        if (step.category) state.category = step.category;
        if (step.priority !== undefined) state.priority = step.priority;
        if (step.tags) state.tags.push(...step.tags);
        current = steps.get(step.next);
        break;
      case 'silenceCheck':
        current = steps.get(await silenceCheck(step, driver, play, deadline, state.digits !== ''));
        break;
      case 'enqueue':
        return outcome('enqueue', step.queue, false, step.priority);
      case 'hangup':
        return outcome('hangup', 'none', false);
      case 'goto':
        current = steps.get(step.target);
        break;
    }
  }
  // Unreachable for a validated flow; a caller still goes to an operator.
  return outcome('enqueue', 'main', true);
}

/**
 * The silent-caller check. Talking detection runs through the whole IVR, so a caller who spoke at
 * any point (even over the greeting), or pressed any key, goes on at once. One who has neither spoken nor pressed a
 * key hears "if you cannot speak, press 5 5" (1 + `repeats` times, each followed by `listenMs`
 * of listening): the code marks a silent caller, voice or other keys a live one, nothing a ghost.
 */
async function silenceCheck(
  step: Extract<Step, { type: 'silenceCheck' }>,
  driver: IvrDriver,
  play: (promptId: string, bargeIn: boolean) => Promise<string>,
  deadline: number,
  pressedKeys: boolean,
): Promise<string> {
  // Talking or any key pressed earlier (even one no menu knows) shows a live caller.
  if (driver.heardVoice() || pressedKeys) return step.onVoice;
  let digits = '';
  for (let round = 0; round <= step.repeats && digits.length < step.code.length; round += 1) {
    digits += await play(step.prompt, true);
    if (digits.length >= step.code.length) break;
    const heard = await driver.listen({ ms: step.listenMs, maxDigits: step.code.length, deadline });
    if (heard.heard === 'voice' || driver.heardVoice()) return step.onVoice;
    if (heard.heard === 'digits') digits += heard.digits;
  }
  if (digits.includes(step.code)) return step.onCode;
  return digits.length > 0 ? step.onVoice : step.onSilence;
}
