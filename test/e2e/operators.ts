import type { CallDetailJson, CallListJson, OperatorJson } from '../helpers/api-types.js';
import { waitFor } from '../helpers/wait-for.js';
import type { Service } from './lab.js';
import { type Softphone, startSoftphone } from './softphone.js';

/** Operators on real softphones against a running service, and the calls they take. */
export function operatorDesk(service: () => Service) {
  const phones: Softphone[] = [];
  const operatorState = async (operatorId: string) => (await service().operator<OperatorJson>(operatorId, 'GET', '/api/operator')).body;
  return {
    operatorState,
    phone: async (operatorId: string, options: Parameters<typeof startSoftphone>[1] = {}) => {
      const p = await startSoftphone(operatorId, options);
      phones.push(p);
      return p;
    },
    reachable: (operatorId: string) => waitFor(async () => (await operatorState(operatorId)).reachable, `${operatorId} registered`, 10_000),
    loginWhenFree: async (operatorId: string) => {
      await waitFor(async () => ['offline', 'paused', 'available'].includes((await operatorState(operatorId)).state), `${operatorId} free`, 10_000);
      const path = (await operatorState(operatorId)).state === 'paused' ? '/api/operator/resume' : '/api/operator/login';
      return (await service().operator<OperatorJson>(operatorId, 'POST', path)).body;
    },
    callOf: async (caller: string) => {
      const { body } = await service().api<CallListJson>('/api/calls?limit=50');
      return body.items.find((c) => c.callerNumber === caller);
    },
    detail: async (callId: string) => (await service().api<CallDetailJson>(`/api/calls/${callId}`)).body,
    /**
     * Stops every softphone and logs everyone out (a call still ending leaves its operator busy
     * or wrapping up for a moment), so the next test starts from nobody.
     */
    reset: async (operatorIds: string[] = ['op001', 'op002']) => {
      await Promise.all(phones.splice(0).map((p) => p.stop()));
      for (const operatorId of operatorIds) {
        await waitFor(async () => {
          const state = await operatorState(operatorId);
          if (state.state === 'offline') return !state.reachable;
          await service().operator(operatorId, 'POST', '/api/operator/logout');
          return false;
        }, `${operatorId} logged out and unregistered`, 15_000, 200);
      }
    },
  };
}
