import { randomUUID } from 'node:crypto';

/**
 * Every channel siaga112 dials itself (an operator's phone, an agency, a supervisor, a snoop, a
 * callback) gets an id with this prefix, so any event, a restart or the guardian can tell such
 * a leg from a citizen's call by its id alone.
 */
export const LEG_PREFIX = 'leg-';

export const isLegChannel = (channelId: string): boolean => channelId.startsWith(LEG_PREFIX);

/** A fresh id for a leg about to be dialled. */
export const newLegId = (): string => `${LEG_PREFIX}${randomUUID()}`;
