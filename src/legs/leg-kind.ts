import { z } from 'zod';
import { namedArg } from '../calls/stasis-args.js';

/** What a leg siaga112 dials is for; it travels in the leg's Stasis arguments (`leg=<kind>`). */
export const legKindSchema = z.enum(['offer', 'overflow', 'agency', 'supervisor', 'snoop', 'callback-operator', 'callback-citizen']);
export type LegKind = z.infer<typeof legKindSchema>;
export const LegKind = legKindSchema.enum;

/** The Stasis arguments a leg is created with: its kind, its call, and any extra names. */
export function legArgs(kind: LegKind, callId: string, extra: Record<string, string> = {}): string {
  return [`leg=${kind}`, `call=${callId}`, ...Object.entries(extra).map(([name, value]) => `${name}=${value}`)].join(',');
}

/** A leg's kind and call read back from its Stasis arguments (a restart finds who it was for). */
export function parseLegArgs(args: readonly string[]): { kind: LegKind; callId: string } | undefined {
  const kind = legKindSchema.safeParse(namedArg(args, 'leg'));
  const callId = namedArg(args, 'call');
  return kind.success && callId ? { kind: kind.data, callId } : undefined;
}
