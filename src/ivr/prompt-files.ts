import { createHash } from 'node:crypto';
import type { Language } from './flow-schema.js';

/**
 * Where a prompt's audio lives, relative to Asterisk's sounds directory:
 * siaga112/<lang>/<promptId>-<hash of the text>. The hash means a flow version whose wording
 * changed can never play an old recording. The language is part of the path rather than left to
 * Asterisk's per-channel lookup because the packages' sounds/<lang> entries are symlinks into
 * /etc/alternatives, which the lab cannot write through from outside its root.
 */
export function promptSoundName(promptId: string, text: string, language: Language): string {
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 10);
  return `siaga112/${language}/${promptId}-${hash}`;
}

/** The file (without extension) of a prompt in a sounds directory. */
export function promptFileBase(soundsDir: string, language: Language, promptId: string, text: string): string {
  return `${soundsDir}/${promptSoundName(promptId, text, language)}`;
}

/** The formats generated: G.711 both ways, so calls in either law play without transcoding. */
export const PROMPT_FORMATS = ['alaw', 'ulaw'] as const;
