export type { QueuedCall } from '../calls/call-queue.js';

/** Derived ids: a restart finds a call's bridges and recording again from its call id alone. */
export const holdingBridgeId = (callId: string): string => `hold-${callId}`;
export const mixingBridgeId = (callId: string): string => `call-${callId}`;
export const recordingName = (callId: string): string => `call-${callId}`;


/** A SIP caller id `"name" <number>` from free text, with quotes and brackets kept out of it. */
export function callerIdOf(name: string, number: string): string {
  return `"${name.replace(/["<>\\]/g, '')}" <${number.replace(/[^0-9+*#]/g, '')}>`;
}
