import type { Category } from './flow-schema.js';

/**
 * What each emergency number means before the caller says anything: the flow it runs and the
 * category it presets (Indonesia's 110 police, 113 fire, 118/119 ambulance).
 */
export interface AliasPreset {
  flowId: string;
  category?: Category;
  priority?: number;
}

export const ALIASES: Readonly<Record<string, AliasPreset>> = {
  112: { flowId: 'default-112' },
  110: { flowId: 'default-112', category: 'crime', priority: 60 },
  113: { flowId: 'default-112', category: 'fire', priority: 90 },
  118: { flowId: 'default-112', category: 'medical', priority: 90 },
  119: { flowId: 'default-112', category: 'medical', priority: 90 },
};

/** The preset for a dialled number; unknown numbers run the default flow unclassified. */
export function presetFor(dialled: string): AliasPreset {
  return ALIASES[dialled] ?? { flowId: 'default-112' };
}
