import type { Clock } from '../clock.js';
import { CallState } from '../calls/states.js';
import type { CallsRepository } from '../db/calls-repository.js';
import type { OffersRepository } from '../db/offers-repository.js';
import type { Logger } from '../log.js';
import type { OperatorBoard } from '../operators/operator-board.js';
import type { Telephony } from '../telephony/port.js';
import { OperatorState } from './acd.js';
import type { ConnectedCalls } from './connected-calls.js';
import { OfferOutcome } from './ringing-offers.js';

export interface RestartDeps {
  telephony: Telephony;
  offers: OffersRepository;
  board: OperatorBoard;
  connected: ConnectedCalls;
  calls: CallsRepository;
  clock: Clock;
  log: Logger;
}

/**
 * Rebuilds after a restart what siaga112 cannot keep in memory, with Asterisk as the truth for
 * what is live: rings left over from before are cancelled (their calls are offered again), an
 * operator whose answered leg is still up stays busy on that call while one left offered or busy
 * without a live call goes to wrap-up (nobody stays stuck), interrupted wrap-ups resume, and calls
 * left in wrap-up with nobody wrapping them up are closed. Waiting callers are re-adopted by the
 * call service and find their holding bridges again.
 */
export async function rebuildAfterRestart(deps: RestartDeps, wrapupMs: number, ringingNow: (channelId: string) => boolean): Promise<void> {
  const { telephony, offers, board, clock, connected, calls, log } = deps;
  const live = new Set((await telephony.listAppChannels()).map((c) => c.id));
  for (const row of offers.unclosed()) {
    if (ringingNow(row.channelId)) continue;
    offers.close(row.channelId, OfferOutcome.cancelled, clock.now());
    await telephony.hangup(row.channelId).catch(() => undefined);
  }
  const changed = board.rebuild((operatorId) => {
    const callId = board.get(operatorId)?.callId;
    const answered = callId ? offers.answered(callId) : undefined;
    return answered?.target === operatorId && live.has(answered.channelId) ? callId ?? undefined : undefined;
  });
  const wrapping = new Set<string>();
  for (const operator of board.list()) {
    if (operator.state !== OperatorState.wrapup) continue;
    connected.startWrapup(operator.id, operator.callId, wrapupMs - (clock.now() - operator.stateSince));
    if (operator.callId) wrapping.add(operator.callId);
  }
  for (const callId of calls.idsInState(CallState.wrapup)) {
    if (!wrapping.has(callId)) connected.finishCall(callId);
  }
  log.info({ operatorsChanged: changed.map((o) => ({ id: o.id, state: o.state })) }, 'operator states rebuilt after restart');
}
