import type { Clock } from '../clock.js';
import type { DomainEvents } from '../events/domain-events.js';
import { CallsRepository } from '../db/calls-repository.js';
import type { Db } from '../db/database.js';
import { writeBehindOf } from '../db/write-behind.js';
import { OffersRepository } from '../db/offers-repository.js';
import { OperatorsRepository } from '../db/operators-repository.js';
import type { Logger } from '../log.js';
import { type Operator, OperatorBoard } from '../operators/operator-board.js';
import { OperatorService } from '../operators/operator-service.js';
import type { Telephony } from '../telephony/port.js';
import { EventRouter } from '../telephony/event-router.js';
import { Dialer } from '../legs/dialer.js';
import { OperatorState, type Strategy } from './acd.js';
import { ConnectedCalls } from './connected-calls.js';
import { QueueAnnouncer } from './queue-announcer.js';
import { announcementMedia } from './queue-prompts.js';
import { queueState } from './queue-state.js';
import { Switchboard } from './switchboard.js';
import { Transfers } from './transfers.js';
import { Supervision } from './supervision.js';
import { CallbackService } from '../callbacks/callback-service.js';
import { CallbacksRepository } from '../db/callbacks-repository.js';

export interface SwitchboardOptions {
  db: Db;
  telephony: Telephony;
  clock: Clock;
  events: DomainEvents;
  log: Logger;
  operatorIds: string[];
  /** True when the operator's softphone is registered and answers qualify. */
  reachable: (operator: Operator) => boolean;
  strategy: Strategy;
  ringTimeoutMs: number;
  wrapupMs: number;
  announceIntervalMs: number;
  overflowAfterMs: number;
  overflowEndpoint: string | null;
  agencies: Record<string, string>;
  trunkEndpoint: string;
  callbackMinWaitMs: number;
}

/** Builds the switchboard and its parts (operators, connected calls, announcements) on one database. */
export function createSwitchboard(options: SwitchboardOptions) {
  const { db, telephony, clock, events, log } = options;
  // The one subscriber to Asterisk's events; legs go to the dialer, citizens' calls to the call service.
  const router = new EventRouter(telephony);
  const dialer = new Dialer({ telephony, clock, log: log.child({ component: 'dialer' }) });
  const calls = new CallsRepository(db);
  const offers = new OffersRepository(db);
  const board = new OperatorBoard(new OperatorsRepository(db), clock, options.reachable, events);
  board.load(options.operatorIds, (id) => `PJSIP/${id}`);
  // The announcer asks the switchboard for the queue order; the switchboard tells it who waits.
  // Connected calls hand a caller who lost their operator back to it.
  const queueView = { switchboard: undefined as Switchboard | undefined };
  const connected = new ConnectedCalls({
    telephony, dialer, board, calls, clock, events, log: log.child({ component: 'connected' }), wrapupMs: options.wrapupMs,
    onOperatorLost: (call, callBridgeId) => {
      queueView.switchboard?.requeue(call, callBridgeId).catch((error: unknown) => call.failed(error));
    },
  });
  const announcer = new QueueAnnouncer({
    telephony, clock, log: log.child({ component: 'announcer' }), intervalMs: options.announceIntervalMs,
    queue: () => ({ order: queueView.switchboard?.queueOrder() ?? [], record: (callId) => queueView.switchboard?.waitingCall(callId)?.record }),
    recentWaits: () => offers.recentWaits(20),
    staffed: () => board.list().filter((o) => o.state !== OperatorState.offline && o.state !== OperatorState.paused).length,
    media: announcementMedia,
  });
  const callbacks = new CallbackService({
    telephony, dialer, callbacks: new CallbacksRepository(db), calls, board, connected, clock, events, log: log.child({ component: 'callbacks' }),
    trunkEndpoint: options.trunkEndpoint, minWaitMs: options.callbackMinWaitMs, ringTimeoutMs: options.ringTimeoutMs,
  });
  const sb = new Switchboard({
    telephony, dialer, board, connected, offers, announcer, clock, log: log.child({ component: 'switchboard' }),
    onAbandoned: (call, waitMs) => callbacks.abandoned(call.callId, call.callerNumber, waitMs),
    settings: { strategy: options.strategy, ringTimeoutMs: options.ringTimeoutMs, overflowAfterMs: options.overflowAfterMs, overflowEndpoint: options.overflowEndpoint },
  });
  queueView.switchboard = sb;
  const transfers = new Transfers({ dialer, board, connected, clock, log: log.child({ component: 'transfers' }), agencies: options.agencies, trunkEndpoint: options.trunkEndpoint });
  const supervision = new Supervision(telephony, dialer, connected, log.child({ component: 'supervision' }));
  const unsubscribe: Array<() => void> = [];
  return {
    switchboard: sb, board, connected, offers, announcer, transfers, supervision, callbacks, calls, dialer, events,
    /** Asterisk's events about citizens' calls, for the call service. */
    callEvents: router.calls,
    /** Call-path writes waiting for a database lock to go. */
    pendingWrites: () => writeBehindOf(db).pending,
    /** Every module that builds bridges of its own, for reconciliation. */
    bridgeOwners: [connected, supervision, callbacks],
    /** Starts listening to Asterisk's events (stop() unsubscribes). */
    start: () => {
      unsubscribe.push(router.start(), router.legs.onEvent((event) => dialer.handle(event)), sb.start(), callbacks.start());
    },
    operators: new OperatorService(board, (operatorId) => engagedNow(operatorId, dialer)),
    feed: { state: () => queueState(sb, connected, board, clock), onChange: (listener: () => void) => sb.onChange(listener) },
    stop: () => {
      for (const stop of unsubscribe.splice(0)) stop();
      announcer.stop();
      connected.stop();
      sb.stop();
      dialer.stop();
    },
  };
}

export type SwitchboardParts = ReturnType<typeof createSwitchboard>;

/** What the legs siaga112 dialled have an operator doing now (talking wins over ringing). */
function engagedNow(operatorId: string, dialer: Dialer): 'ringing' | 'talking' | undefined {
  let found: 'ringing' | 'talking' | undefined;
  for (const [id, how] of dialer.engaged()) if (id === operatorId && found !== 'talking') found = how;
  return found;
}
