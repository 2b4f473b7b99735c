import { PrincipalKind } from '../auth/principal.js';
import type { Capability } from '../capability.js';
import { lifecycle } from '../capability.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { OperatorsRepository } from '../db/operators-repository.js';
import { adminOperatorRoutes, forceOperatorStateRoutes, operatorListRoutes, operatorSelfRoutes } from './routes.js';
import type { LiveLegs } from '../telephony/leg-owner.js';
import { type Operator, OperatorBoard } from './operator-board.js';
import type { OperatorEventPublisher } from './operator-events.js';
import { OperatorService } from './operator-service.js';

export interface OperatorsNeeds {
  db: Db;
  clock: Clock;
  events: OperatorEventPublisher;
  operatorIds: readonly string[];
  /** True when the operator's softphone is registered and answers qualify. */
  reachable: (operator: Operator) => boolean;
  /** The legs siaga112 dialled: what each operator is really doing (ringing, talking). */
  legs: LiveLegs;
}

/** The operators capability: their live state (the board), what they may do to it, and its routes. */
export function createOperators(needs: OperatorsNeeds) {
  const board = new OperatorBoard(new OperatorsRepository(needs.db), needs.clock, needs.reachable, needs.events);
  board.load(needs.operatorIds, (id) => `PJSIP/${id}`);
  const service = new OperatorService(board, (operatorId) => engagedNow(operatorId, needs.legs));
  const capability: Capability = {
    name: 'operators',
    routes: [
      { prefix: '/api', routes: operatorSelfRoutes(service) },
      { prefix: '/api', routes: operatorListRoutes(service) },
      { prefix: '/api/supervisor', routes: forceOperatorStateRoutes(service, [PrincipalKind.supervisor]) },
      { prefix: '/api/admin', routes: adminOperatorRoutes(service) },
      { prefix: '/api/admin', routes: forceOperatorStateRoutes(service, [PrincipalKind.admin]) },
    ],
    ...lifecycle(() => []),
  };
  return { capability, board, service };
}

/** What the legs siaga112 dialled have an operator doing now (talking wins over ringing). */
function engagedNow(operatorId: string, legs: LiveLegs): 'ringing' | 'talking' | undefined {
  let found: 'ringing' | 'talking' | undefined;
  for (const [id, how] of legs.engaged()) if (id === operatorId && found !== 'talking') found = how;
  return found;
}
