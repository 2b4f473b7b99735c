import { PrincipalKind } from '../auth/principal.js';
import type { CallEventPublisher } from '../calls/call-events.js';
import type { Capability } from '../capability.js';
import { lifecycle } from '../capability.js';
import type { Clock } from '../clock.js';
import { CallsRepository } from '../db/calls-repository.js';
import type { Db } from '../db/database.js';
import { OffersRepository } from '../db/offers-repository.js';
import { queueRoutes } from './routes.js';
import { transferRoutes } from './transfer-routes.js';
import { supervisionRoutes } from './supervision-routes.js';
import type { Dialer } from '../legs/dialer.js';
import type { Logger } from '../log.js';
import type { OperatorBoard } from '../operators/operator-board.js';
import type { Telephony } from '../telephony/port.js';
import { OperatorState, type Strategy } from './acd.js';
import { ConnectedCalls } from './connected-calls.js';
import { QueueAnnouncer } from './queue-announcer.js';
import type { QueueEventPublisher } from './queue-events.js';
import { announcementMedia } from './queue-prompts.js';
import { queueState } from './queue-state.js';
import { Supervision } from './supervision.js';
import { OVERFLOW } from './ringing-offers.js';
import { Switchboard } from './switchboard.js';
import { type AgencyNumbers, Transfers } from './transfers.js';

export interface QueueSettings {
  strategy: Strategy;
  ringTimeoutMs: number;
  wrapupMs: number;
  announceIntervalMs: number;
  overflowAfterMs: number;
  overflowEndpoint: string | null;
  trunkEndpoint: string;
}

export interface QueueNeeds {
  db: Db;
  telephony: Telephony;
  dialer: Dialer;
  board: OperatorBoard;
  /** The agencies' numbers (the dispatch capability's directory, edited by admins). */
  agencies: AgencyNumbers;
  clock: Clock;
  events: CallEventPublisher & QueueEventPublisher;
  log: Logger;
  settings: QueueSettings;
}

/**
 * The queue capability: the waiting line and its offers (the switchboard), connected calls and
 * their wrap-ups, position announcements, transfers to agencies and supervisor monitoring.
 */
export function createQueue(needs: QueueNeeds) {
  const { db, telephony, dialer, board, clock, events, log, settings } = needs;
  const calls = new CallsRepository(db);
  const offers = new OffersRepository(db);
  // Connected calls hand a caller who lost their operator back to the switchboard; the
  // announcer asks the switchboard for the queue order.
  const late = { switchboard: undefined as Switchboard | undefined };
  const connected = new ConnectedCalls({
    telephony, dialer, board, calls, clock, events, log: log.child({ component: 'connected' }), wrapupMs: settings.wrapupMs,
    onOperatorLost: (call, callBridgeId) => {
      late.switchboard?.requeue(call, callBridgeId).catch((error: unknown) => call.failed(error));
    },
  });
  const announcer = new QueueAnnouncer({
    telephony, clock, log: log.child({ component: 'announcer' }), intervalMs: settings.announceIntervalMs,
    queue: () => ({ order: late.switchboard?.queueOrder() ?? [], record: (callId) => late.switchboard?.waitingCall(callId)?.record }),
    recentWaits: () => offers.recentWaits(20),
    staffed: () => board.list().filter((o) => o.state !== OperatorState.offline && o.state !== OperatorState.paused).length,
    media: announcementMedia,
  });
  const switchboard = new Switchboard({
    telephony, dialer, board, connected, offers, announcer, clock, log: log.child({ component: 'switchboard' }),
    onAbandoned: (call, queueWaitMs) => events.publish('call.abandoned', { callId: call.callId, callerNumber: call.callerNumber, queueWaitMs, at: clock.now() }),
    onOfferEnded: (offer, outcome) => events.publish('offer.ended', { callId: offer.callId, at: clock.now(), target: offer.target === OVERFLOW ? 'overflow' : 'operator', outcome }),
    settings,
  });
  late.switchboard = switchboard;
  const transfers = new Transfers({ dialer, board, connected, clock, log: log.child({ component: 'transfers' }), agencies: needs.agencies, trunkEndpoint: settings.trunkEndpoint });
  const supervision = new Supervision(telephony, dialer, connected, log.child({ component: 'supervision' }));
  const feed = { state: () => queueState(switchboard, connected, board, clock), onChange: (listener: () => void) => switchboard.onChange(listener) };
  const capability: Capability = {
    name: 'queue',
    routes: [
      { prefix: '/api', routes: queueRoutes(feed, [PrincipalKind.api, PrincipalKind.supervisor]) },
      { prefix: '/api', routes: transferRoutes(transfers) },
      { prefix: '/api/supervisor', routes: queueRoutes(feed, [PrincipalKind.supervisor]) },
      { prefix: '/api/supervisor', routes: supervisionRoutes(supervision) },
    ],
    ...lifecycle(() => [switchboard.start(), () => announcer.stop(), () => connected.stop(), () => switchboard.stop()]),
  };
  return { capability, switchboard, connected, offers, announcer, transfers, supervision, feed, calls };
}
