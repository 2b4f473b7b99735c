import type { FlowInput } from './flow-schema.js';

/**
 * The shipped 112 flow (activated on first start). A caller who presses nothing reaches the
 * queue in under 15 s; any key goes faster (a key over a prompt stops it). Bahasa Indonesia
 * first, English on 9.
 * Priorities: higher is answered first; fire and medical highest, ghost calls lowest.
 */
export const DEFAULT_FLOW: FlowInput = {
  flowId: 'default-112',
  description: 'Kota Bekasi 112: greeting, optional category menu, silent-caller check',
  languages: ['id', 'en'],
  defaultLanguage: 'id',
  maxIvrMs: 20_000,
  start: 'greeting',
  prankWarningPrompt: 'prank-warning',
  prompts: {
    'prank-warning': {
      id: 'Nomor Anda tercatat melakukan panggilan iseng. Panggilan iseng dapat dipidana.',
      en: 'Your number is recorded for prank calls.',
    },
    greeting: {
      id: 'Darurat 112. For English, press 9.',
      en: 'Emergency service 112.',
    },
    menu: {
      id: 'Kecelakaan 1, kebakaran 2, medis 3, bencana 4, kriminal 5.',
      en: 'Accident 1, fire 2, medical 3, disaster 4, crime 5.',
    },
    'cannot-speak': {
      id: 'Tak bisa bicara? Tekan 5 5.',
      en: 'Cannot speak? Press 5 5.',
    },
  },
  steps: [
    { id: 'greeting', type: 'say', prompt: 'greeting', next: 'menu' },
    { id: 'menu', type: 'gather', prompt: 'menu', maxDigits: 1, firstDigitTimeoutMs: 1000, next: 'route' },
    {
      id: 'route', type: 'branch', on: 'digits',
      cases: { 1: 'traffic', 2: 'fire', 3: 'medical', 4: 'disaster', 5: 'crime', 9: 'english', 0: 'other' },
      default: 'listen',
    },
    { id: 'english', type: 'set', language: 'en', next: 'menu' },
    { id: 'traffic', type: 'set', category: 'traffic', priority: 70, next: 'queue' },
    { id: 'fire', type: 'set', category: 'fire', priority: 90, next: 'queue' },
    { id: 'medical', type: 'set', category: 'medical', priority: 90, next: 'queue' },
    { id: 'disaster', type: 'set', category: 'disaster', priority: 70, next: 'queue' },
    { id: 'crime', type: 'set', category: 'crime', priority: 60, next: 'queue' },
    { id: 'other', type: 'set', category: 'other', priority: 50, next: 'queue' },
    {
      id: 'listen', type: 'silenceCheck', listenMs: 2000, prompt: 'cannot-speak', repeats: 0, code: '55',
      // A caller who spoke keeps the category the dialled alias preset (or none).
      onVoice: 'queue', onCode: 'silent-caller', onSilence: 'ghost',
    },
    { id: 'silent-caller', type: 'set', category: 'other', priority: 95, tags: ['silent-caller'], next: 'queue' },
    // Ghost calls still reach an operator, in the lowest lane, when nobody real is waiting.
    { id: 'ghost', type: 'set', priority: 0, tags: ['ghost'], next: 'queue' },
    { id: 'queue', type: 'enqueue', queue: 'main', priority: 50 },
  ],
};
