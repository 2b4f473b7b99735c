/**
 * How siaga112's guardian marks a caller it continued into the dialplan while siaga112 did not
 * answer: a channel variable (read while the channel lives) and a CDR variable (read from the
 * CDR file once it has ended), so that siaga112 records a hand-over, never a hang-up.
 */
export const HANDOVER_VARIABLE = 'SIAGA112_HANDOVER';
export const HANDOVER_CDR_VARIABLE = 'CDR(handover)';
export const GUARDIAN = 'guardian';
