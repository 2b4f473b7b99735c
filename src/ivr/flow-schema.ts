import { z } from 'zod';

/**
 * An IVR flow as data: what admins write, store, validate and activate. One schema; the
 * structural rules zod cannot express (reachability, loops, prompts per language, every path
 * ending at an operator) are checked by validateFlow().
 */

export const Language = { id: 'id', en: 'en' } as const;
export const languageSchema = z.enum(Language);
export type Language = z.infer<typeof languageSchema>;

/** Emergency categories the caller can choose; they set the queue priority. */
export const categorySchema = z.enum(['traffic', 'fire', 'medical', 'disaster', 'crime', 'other']);
export type Category = z.infer<typeof categorySchema>;

const stepId = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'step ids are lower-case words with dashes, e.g. "main-menu"');
const promptId = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'prompt ids are lower-case words with dashes, e.g. "greeting"');
const ms = (max: number) => z.number().int().min(0).max(max);

const say = z.object({
  id: stepId, type: z.literal('say'), prompt: promptId, next: stepId,
  bargeIn: z.boolean().default(true).describe('a key press stops the prompt and is kept for the next gather'),
}).strict();

const gather = z.object({
  id: stepId, type: z.literal('gather'),
  prompt: promptId.optional(),
  maxDigits: z.number().int().min(1).max(16),
  firstDigitTimeoutMs: ms(30_000).default(5000),
  interDigitTimeoutMs: ms(10_000).default(2000),
  retries: z.number().int().min(0).max(3).default(0),
  bargeIn: z.boolean().default(true),
  next: stepId,
}).strict();

const branch = z.object({
  id: stepId, type: z.literal('branch'),
  on: z.enum(['digits', 'language', 'category', 'dialled']),
  cases: z.record(z.string().min(1).max(16), stepId),
  default: stepId,
}).strict();

const set = z.object({
  id: stepId, type: z.literal('set'),
  language: languageSchema.optional(),
  category: categorySchema.optional(),
  priority: z.number().int().min(0).max(100).optional(),
  tags: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/)).max(8).optional(),
  next: stepId,
}).strict();

const silenceCheck = z.object({
  id: stepId, type: z.literal('silenceCheck'),
  /** Listening after each "cannot speak? press 5 5" prompt. */
  listenMs: ms(30_000).default(3000),
  prompt: promptId,
  /** Repeats of the prompt while the caller stays silent. */
  repeats: z.number().int().min(0).max(3).default(0),
  code: z.string().regex(/^[0-9]{1,4}$/).default('55'),
  onVoice: stepId,
  onCode: stepId,
  onSilence: stepId,
}).strict();

const enqueue = z.object({
  id: stepId, type: z.literal('enqueue'),
  queue: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/).default('main'),
  priority: z.number().int().min(0).max(100).optional(),
}).strict();

const hangup = z.object({
  id: stepId, type: z.literal('hangup'),
  /** The only reason a flow may end a caller without an operator: an admin's ghost-call policy. */
  policy: z.literal('ghost'),
}).strict();

const goto = z.object({ id: stepId, type: z.literal('goto'), target: stepId }).strict();

export const stepSchema = z.discriminatedUnion('type', [say, gather, branch, set, silenceCheck, enqueue, hangup, goto]);
export type Step = z.infer<typeof stepSchema>;
export type StepType = Step['type'];

export const flowSchema = z.object({
  flowId: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
  description: z.string().max(500).default(''),
  languages: z.array(languageSchema).min(1).max(2),
  defaultLanguage: languageSchema,
  /** Hard cap on the time before enqueue, whatever the flow says. */
  maxIvrMs: ms(60_000).default(20_000),
  start: stepId,
  /** Played first to a number in the prank lane (warned, queued last, never blocked). */
  prankWarningPrompt: promptId.optional(),
  prompts: z.record(promptId, z.partialRecord(languageSchema, z.string().min(1).max(1000))),
  steps: z.array(stepSchema).min(1).max(100),
}).strict();

export type Flow = z.infer<typeof flowSchema>;
/** A flow as written (defaults not yet applied). */
export type FlowInput = z.input<typeof flowSchema>;
