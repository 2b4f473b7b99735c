import type { Category } from '../ivr/flow-schema.js';
import type { CallerBehaviour } from './ivr-run.js';
import type { CallKind } from './mix.js';
import type { Random } from './random.js';

/** The key of each category on the shipped menu ("Kecelakaan 1, kebakaran 2, medis 3, bencana 4, kriminal 5"); 0 is not announced. */
export const MENU_KEY: Record<Category, string> = { traffic: '1', fire: '2', medical: '3', disaster: '4', crime: '5', other: '0' };
const ANNOUNCED_KEYS = ['1', '2', '3', '4', '5'];

/** The alias a caller dials by habit for a category (Indonesia's 110, 113, 118/119), or 112. */
export function dialledFor(rng: Random, kind: CallKind, category: Category | null): string {
  if (category === 'crime' && rng.chance(0.06)) return '110';
  if (category === 'fire' && rng.chance(0.08)) return '113';
  if (category === 'medical' && rng.chance(0.06)) return rng.chance(0.7) ? '118' : '119';
  if (category === null && kind !== 'ghost' && rng.chance(0.03)) return rng.pick(['110', '113', '118']);
  return '112';
}

function pressed(rng: Random, key: string, english: boolean): CallerBehaviour {
  const when = rng.weighted([['menu', 65], ['greeting', 15], ['after-menu', 20]] as const);
  return { type: 'key', key, when, english };
}

/**
 * What a caller of each kind does in the IVR. Real callers mostly press their category's key
 * (some the wrong one: a crash with injuries pressed as medical), many just speak, a few cannot
 * speak and press 5 5; pranksters press anything; a ghost call is silence.
 */
export function behaviourOf(rng: Random, kind: CallKind, category: Category | null): CallerBehaviour {
  const english = rng.chance(kind === 'info' ? 0.04 : 0.015);
  switch (kind) {
    case 'valid':
    case 'duplicate':
    case 'abandoned': {
      if (category === 'other' || category === null) {
        const r = rng.next();
        if (r < 0.8) return { type: 'voice', english };
        return pressed(rng, r < 0.85 ? '0' : rng.pick(ANNOUNCED_KEYS), english);
      }
      const r = rng.next();
      if (r < 0.72) return pressed(rng, rng.chance(0.93) ? MENU_KEY[category] : rng.pick(ANNOUNCED_KEYS), english);
      if (r < 0.98) return { type: 'voice', english };
      return { type: 'silent-code' };
    }
    case 'info':
      return rng.chance(0.7) ? { type: 'voice', english } : pressed(rng, rng.pick(ANNOUNCED_KEYS), english);
    case 'prank': {
      const r = rng.next();
      if (r < 0.45) return pressed(rng, rng.pick([...ANNOUNCED_KEYS, '0', '7', '8']), false);
      if (r < 0.95) return { type: 'voice', english: false };
      return { type: 'silent-code' };
    }
    case 'test':
      return rng.chance(0.4) ? pressed(rng, '1', false) : { type: 'voice', english: false };
    case 'ghost':
    case 'fallback':
      return { type: 'silence' };
  }
}
