import { HANDOVER_VARIABLE } from '../calls/handover.js';
import type { CallState } from '../calls/states.js';
import { CallState as States } from '../calls/states.js';
import type { CallsRepository } from '../db/calls-repository.js';
import type { OffersRepository } from '../db/offers-repository.js';
import type { OperatorBoard } from '../operators/operator-board.js';
import type { ConnectedCalls } from '../queue/connected-calls.js';
import type { BridgeOwner, LiveLegs } from '../telephony/leg-owner.js';
import type { Telephony } from '../telephony/port.js';
import type { LiveView, MemoryView, StoredView } from './views.js';


export interface GatherDeps {
  telephony: Telephony;
  calls: CallsRepository;
  offers: OffersRepository;
  board: OperatorBoard;
  connected: ConnectedCalls;
  trackedCalls: () => ReadonlySet<string>;
  legs: LiveLegs;
  bridgeOwners: readonly BridgeOwner[];
  /** The operator and the call called back of a callback, by its id. */
  callbackOf: (callbackId: string) => { operatorId: string; callId: string } | undefined;
}

/**
 * Reads the three views. SQLite and memory are read first, Asterisk after: a call that arrives
 * in between is then young in Asterisk's list (left alone by the grace rule), and one that ends
 * in between is already closed by its own session, so neither is mistaken for a stray.
 */
export async function gatherViews(deps: GatherDeps): Promise<{ stored: StoredView; memory: MemoryView; live: LiveView }> {
  const stored = storedView(deps);
  const memory = memoryView(deps);
  const [channels, bridges] = await Promise.all([deps.telephony.listChannels(), deps.telephony.listBridges()]);
  const byId = new Map(channels.map((c) => [c.id, c]));
  const recordings = new Set<string>();
  const handovers = new Map<string, string>();
  await Promise.all(stored.openCalls.map(async (call) => {
    // A call a session drives keeps its recording: only the others' are worth asking about.
    const ask = call.recordingName && !memory.sessions.has(call.callId);
    if (ask && (await deps.telephony.liveRecording(call.recordingName!).catch(() => false))) recordings.add(call.recordingName!);
    const channel = byId.get(call.channelId);
    if (channel && channel.appArgs === null) {
      const by = await deps.telephony.getVariable(call.channelId, HANDOVER_VARIABLE).catch(() => undefined);
      if (by) handovers.set(call.channelId, by);
    }
  }));
  const callbacks = new Map<string, { operatorId: string; callId: string }>();
  for (const bridge of bridges) {
    const callbackId = /^callback-(.+)$/.exec(bridge.id)?.[1];
    const callback = callbackId ? deps.callbackOf(callbackId) : undefined;
    if (callback) callbacks.set(bridge.id, callback);
  }
  return { stored, memory, live: { channels, bridges, recordings, handovers, callbacks } };
}

function storedView(deps: GatherDeps): StoredView {
  return {
    openCalls: deps.calls.openCalls().filter((row) => row.state !== States.fallback).map((row) => {
      const answered = row.state === States.connected ? deps.offers.answered(row.id) : undefined;
      return {
        callId: row.id, channelId: row.channelId, state: row.state as CallState, enqueuedAt: row.enqueuedAt,
        recordingName: row.recordingName, channelEndedAt: row.channelEndedAt,
        answered: answered ? { channelId: answered.channelId, target: answered.target } : null,
      };
    }),
    wrapupCalls: deps.calls.idsInState(States.wrapup),
    operators: deps.board.list().map((o) => ({ operatorId: o.id, state: o.state, callId: o.callId, stateSince: o.stateSince })),
    unclosedOffers: deps.offers.unclosed().map((o) => ({ channelId: o.channelId, callId: o.callId, target: o.target })),
  };
}

function memoryView(deps: GatherDeps): MemoryView {
  const legs = new Set(deps.legs.legs());
  const bridges = new Set<string>();
  const engaged = new Map<string, 'ringing' | 'talking'>();
  for (const owner of deps.bridgeOwners) for (const bridgeId of owner.bridges()) bridges.add(bridgeId);
  for (const [operatorId, how] of deps.legs.engaged()) if (engaged.get(operatorId) !== 'talking') engaged.set(operatorId, how);
  return {
    sessions: deps.trackedCalls(), connected: deps.connected.connections(), legs, bridges, engaged,
    wrappingUp: deps.connected.wrappingUp(), wrappingCalls: deps.connected.wrappingCalls(),
  };
}
