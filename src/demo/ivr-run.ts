import type { Flow, Language } from '../ivr/flow-schema.js';
import { type IvrContext, type IvrDriver, type IvrOutcome, type PromptRef, runFlow } from '../ivr/interpreter.js';
import { promptSoundName } from '../ivr/prompt-files.js';
import { estimatePromptMs } from '../ivr/simulation.js';
import type { CallTrail } from './call-trail.js';
import type { Random } from './random.js';

/** What a caller does in the IVR: when they press which key, whether they speak. */
export type CallerBehaviour =
  /** Presses `key` over the greeting, over the menu, or just after it; `english` presses 9 first. */
  | { type: 'key'; key: string; when: 'greeting' | 'menu' | 'after-menu'; english: boolean }
  /** Speaks (“halo? halo?”) over the greeting and presses nothing. */
  | { type: 'voice'; english: boolean }
  /** Cannot speak: presses 5 5 when asked. */
  | { type: 'silent-code' }
  /** Nobody there. */
  | { type: 'silence' };

/** Where in the IVR a key is pressed: over a prompt, in a gather's wait, or while listened to. */
type PressPoint = 'greeting' | 'menu' | 'cannot-speak' | 'gather' | 'listen';

function pressesOf(behaviour: CallerBehaviour): Array<{ digit: string; during: PressPoint }> {
  switch (behaviour.type) {
    case 'key': {
      const english = behaviour.english ? [{ digit: '9', during: 'greeting' as const }] : [];
      const during = behaviour.when === 'after-menu' ? 'gather' : behaviour.english && behaviour.when === 'greeting' ? 'menu' : behaviour.when;
      return [...english, { digit: behaviour.key, during }];
    }
    case 'voice':
      return behaviour.english ? [{ digit: '9', during: 'greeting' }] : [];
    case 'silent-code':
      return [{ digit: '5', during: 'cannot-speak' }, { digit: '5', during: 'listen' }];
    case 'silence':
      return [];
  }
}

class CallerHungUp extends Error {}

/** promptSoundName hashes the text; the demo plays the same few prompts tens of thousands of times. */
const soundNames = new Map<string, string>();
function mediaOf(promptId: string, text: string, language: Language): string {
  const key = `${language}/${promptId}/${text}`;
  let media = soundNames.get(key);
  if (media === undefined) {
    media = `sound:${promptSoundName(promptId, text, language)}`;
    soundNames.set(key, media);
  }
  return media;
}

/** Asterisk's round trip for a playback request, roughly, on top of the prompt itself. */
const PLAYBACK_LATENCY_MS = 80;

/**
 * The interpreter's view of a demo caller: like the real driver it writes prompt-started,
 * prompt-finished, dtmf and talking notes on the call's trail, but time is the trail's own,
 * moved on by each wait (prompt lengths as the simulation estimates them, a little jitter).
 */
class DemoIvrDriver implements IvrDriver {
  now: number;
  private voice = false;
  private readonly presses: Array<{ digit: string; during: PressPoint }>;

  constructor(
    private readonly flow: Flow,
    private readonly behaviour: CallerBehaviour,
    private readonly trail: CallTrail,
    private readonly rng: Random,
    start: number,
    private readonly hangupAt: number | null,
  ) {
    this.now = start;
    this.presses = pressesOf(behaviour);
  }

  async play(prompt: PromptRef, options: { bargeIn: boolean; deadline: number }): Promise<{ digits: string }> {
    const text = this.flow.prompts[prompt.promptId]?.[prompt.language] ?? '';
    const start = this.now;
    const duration = estimatePromptMs(text) * this.rng.between(0.95, 1.05) + PLAYBACK_LATENCY_MS;
    const playbackId = this.rng.uuid();
    const media = mediaOf(prompt.promptId, text, prompt.language);
    this.trail.note('prompt-started', start, { promptId: prompt.promptId, language: prompt.language, media, playbackId });
    if (this.behaviour.type === 'voice' && !this.voice && prompt.promptId === 'greeting') {
      this.until(start + this.rng.between(500, Math.max(600, duration * 0.8)));
      this.trail.note('talking', this.now);
      this.voice = true;
    }
    const press = this.presses[0];
    if (options.bargeIn && press?.during === prompt.promptId) {
      this.until(start + this.rng.between(0.3, 0.85) * duration);
      this.presses.shift();
      this.trail.note('dtmf', this.now, { digit: press.digit });
      // The key stops the prompt; Asterisk reports the stopped playback a moment later.
      this.until(this.now + this.rng.between(40, 160));
      this.trail.note('prompt-finished', this.now, { promptId: prompt.promptId, playbackId, state: 'done', interrupted: true });
      return { digits: press.digit };
    }
    this.until(Math.max(this.now, start + duration));
    this.trail.note('prompt-finished', this.now, { promptId: prompt.promptId, playbackId, state: 'done', interrupted: false });
    return { digits: '' };
  }

  async collect(options: { maxDigits: number; firstDigitTimeoutMs: number; initial: string }): Promise<string> {
    if (options.initial.length >= options.maxDigits) return options.initial;
    const press = this.presses[0];
    if (press?.during === 'gather') {
      this.until(this.now + this.rng.between(250, options.firstDigitTimeoutMs * 0.9));
      this.presses.shift();
      this.trail.note('dtmf', this.now, { digit: press.digit });
      return options.initial + press.digit;
    }
    this.until(this.now + options.firstDigitTimeoutMs);
    return options.initial;
  }

  async listen(options: { ms: number }): Promise<{ heard: 'voice' | 'silence' } | { heard: 'digits'; digits: string }> {
    const press = this.presses[0];
    if (press?.during === 'listen') {
      this.until(this.now + this.rng.between(300, Math.min(1500, options.ms)));
      this.presses.shift();
      this.trail.note('dtmf', this.now, { digit: press.digit });
      return { heard: 'digits', digits: press.digit };
    }
    this.until(this.now + options.ms);
    return this.voice ? { heard: 'voice' } : { heard: 'silence' };
  }

  heardVoice(): boolean {
    return this.voice;
  }

  /** Moves the driver's time on, unless the caller hangs up first. */
  private until(at: number): void {
    if (this.hangupAt !== null && at >= this.hangupAt) {
      this.now = Math.max(this.now, this.hangupAt);
      throw new CallerHungUp();
    }
    this.now = at;
  }
}

export interface IvrRun {
  /** What the flow decided; null when the caller hung up in it. */
  outcome: IvrOutcome | null;
  /** When the flow ended (the enqueue, the ghost policy's hang-up, or the caller's). */
  endAt: number;
}

export interface IvrRequest {
  flow: Flow;
  version: number;
  context: IvrContext;
  behaviour: CallerBehaviour;
  callerNumber: string;
  /** siaga112's answer: the IVR starts right after it. */
  answeredAt: number;
  /** The caller hangs up at this moment if the flow is still running. */
  hangupAt: number | null;
}

/**
 * Runs the real interpreter (runFlow) over a demo caller, writing its notes on the trail as
 * CallSession.runIvr does: ivr-started, the prank lane if the number is in it, then the flow.
 */
export async function runDemoIvr(request: IvrRequest, trail: CallTrail, rng: Random): Promise<IvrRun> {
  const start = request.answeredAt + rng.between(3, 12);
  trail.note('ivr-started', start, { flowId: request.flow.flowId, version: request.version });
  if (request.context.prank) trail.note('prank-lane', start + rng.between(2, 8), { number: request.callerNumber });
  // Setting TALK_DETECT on the channel is one more ARI request before the first prompt.
  const driver = new DemoIvrDriver(request.flow, request.behaviour, trail, rng, start + rng.between(10, 30), request.hangupAt);
  try {
    const outcome = await runFlow(request.flow, request.context, driver, { now: () => driver.now });
    return { outcome, endAt: driver.now + rng.between(2, 10) };
  } catch (error) {
    if (!(error instanceof CallerHungUp)) throw error;
    return { outcome: null, endAt: driver.now };
  }
}
