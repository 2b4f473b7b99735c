import { ari, sippCounts, type Service } from '../e2e/lab.js';
import type { CallJson, CallListJson, OperatorJson, QueueJson } from '../helpers/api-types.js';
import { longestGap } from './rtp-gaps.js';

/** One sipp caller of a round and what it saw. */
export interface ChaosCaller {
  number: string;
  mediaPort: number;
  startedAt: number;
  /** When its sipp ended (BYE sent and answered, or the call failed). */
  endedAt: number | null;
  output: string | null;
}

export const OPERATORS = ['op001', 'op002', 'op003'];

/** True when sipp saw its INVITE answered (the first "200 <---" row of its final statistics). */
function answered(output: string): boolean {
  const row = /^\s*200 <-+\s+(?:E-RTD\d\s+)?(\d+)/m.exec(output);
  return row !== null && Number(row[1]) > 0;
}

async function calls(service: Service): Promise<CallJson[]> {
  return (await service.api<CallListJson>('/api/calls?limit=200')).body.items;
}

/**
 * The promises checked after a round, each failure a sentence naming the call or operator:
 * sipp saw no failed call (unless Asterisk itself restarted), every caller has exactly one
 * record whose end is within 1 s of sipp's hang-up, every operator's state agrees with
 * Asterisk, and Asterisk holds nothing of ours without an open call.
 */
export async function settledProblems(service: Service, callers: readonly ChaosCaller[], asteriskRestarted: boolean): Promise<string[]> {
  const problems: string[] = [];
  const rows = await calls(service);
  for (const caller of callers) {
    const counts = caller.output ? sippCounts(caller.output) : { successful: -1, failed: -1 };
    if (!asteriskRestarted && counts.failed !== 0) problems.push(`caller ${caller.number}: sipp counted ${counts.failed} failed call(s)`);
    const mine = rows.filter((row) => row.callerNumber === caller.number);
    // A call Asterisk never answered (its INVITE met Asterisk restarting) may have no record:
    // no channel of it ever existed. One that was answered has exactly one.
    if (mine.length === 0 && asteriskRestarted && caller.output !== null && !answered(caller.output)) continue;
    if (mine.length !== 1) {
      problems.push(`caller ${caller.number}: ${mine.length} records (sipp: answered ${caller.output ? answered(caller.output) : '?'}, ${JSON.stringify(counts)})`);
      continue;
    }
    const row = mine[0]!;
    if (row.endedAt === null) {
      problems.push(`call ${row.id} (${caller.number}): still open in state ${row.state} after its caller hung up`);
    } else if (!asteriskRestarted && caller.endedAt !== null && Math.abs(Date.parse(row.endedAt) - caller.endedAt) > 1000) {
      problems.push(`call ${row.id} (${caller.number}): ends at ${row.endedAt}, sipp hung up at ${new Date(caller.endedAt).toISOString()}`);
    }
  }
  for (const operatorId of OPERATORS) {
    const state = (await service.operator<OperatorJson>(operatorId, 'GET', '/api/operator')).body;
    const endpoint = await ari<{ channel_ids?: string[] }>(`/endpoints/PJSIP/${operatorId}`);
    const channels = endpoint.channel_ids ?? [];
    if ((state.state === 'busy' || state.state === 'offered') && channels.length === 0) {
      problems.push(`operator ${operatorId}: ${state.state} on call ${state.callId ?? '-'} but Asterisk has no channel of theirs`);
    }
  }
  const open = new Set(rows.filter((row) => row.endedAt === null).map((row) => row.id));
  for (const bridge of await ari<Array<{ id: string; channels: string[] }>>('/bridges')) {
    const owner = /^(hold|call)-(.+)$/.exec(bridge.id);
    if (owner && !open.has(owner[2]!)) problems.push(`bridge ${bridge.id} left in Asterisk (${bridge.channels.length} channels) without an open call`);
    if (/^(monitor|callback)-/.test(bridge.id)) problems.push(`bridge ${bridge.id} left in Asterisk`);
  }
  for (const channel of await ari<Array<{ id: string; dialplan: { app_name?: string; app_data?: string } }>>('/channels')) {
    if (channel.dialplan.app_name === 'Stasis' && channel.dialplan.app_data?.startsWith('siaga112')) {
      problems.push(`channel ${channel.id} still in siaga112's app with every caller gone`);
    }
  }
  return problems;
}

/** Callers still on the line who wait (queued or ringing an operator) must be in siaga112's line. */
export async function waitingProblems(service: Service, live: readonly ChaosCaller[]): Promise<string[]> {
  const rows = await calls(service);
  const line = new Set((await service.api<QueueJson>('/api/queue')).body.waiting.map((w) => w.callId));
  return live.flatMap((caller) => {
    const row = rows.find((r) => r.callerNumber === caller.number);
    if (!row || (row.state !== 'queued' && row.state !== 'offered')) return [];
    return line.has(row.id) ? [] : [`call ${row.id} (${caller.number}) is ${row.state} but not in the line`];
  });
}

/** The relative order of callers waiting both before the fault and after recovery is kept. */
export function orderProblems(before: readonly string[], after: readonly string[]): string[] {
  const common = before.filter((id) => after.includes(id));
  const kept = after.filter((id) => common.includes(id));
  return common.join() === kept.join() ? [] : [`queue order changed: before ${common.join(' ')} after ${kept.join(' ')}`];
}

/**
 * The longest silence each caller heard, from the moment they called until they hung up: a
 * caller answered and then given no audio at all is silent from the start, not from a first
 * packet that never came. (The first tens of ms are the INVITE being answered.)
 */
export function silences(times: ReadonlyMap<number, number[]>, callers: readonly ChaosCaller[]): Array<{ number: string; gapMs: number; at: number }> {
  return callers.map((caller) => {
    const until = caller.endedAt ?? Date.now();
    const heard = (times.get(caller.mediaPort) ?? []).filter((t) => t >= caller.startedAt && t <= until);
    const { gapMs, from } = longestGap([caller.startedAt, ...heard, until]);
    return { number: caller.number, gapMs, at: from };
  });
}
