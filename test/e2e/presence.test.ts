import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthJson, PresenceJson } from '../helpers/api-types.js';
import { waitFor } from '../helpers/wait-for.js';
import { REPO, type Service, e2eEnabled, sipp, startService, stopAll, stopService } from './lab.js';

const register = (user: string, password: string, holdMs: number) => sipp({
  scenario: 'operator-register.xml', number: user, holdMs,
  extraArgs: [
    '-set', 'user', user, '-au', user, '-ap', password, '-oocsf', join(REPO, 'scripts/sipp/options-answer.xml'),
    // A refused registration fails at once instead of waiting out the default receive timeout.
    '-recv_timeout', '3000',
  ],
});

describe.runIf(e2eEnabled)('operator presence from PJSIP contact status (AMI)', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService();
    await waitFor(async () => (await service.api<HealthJson>('/health')).body.ami.connected, 'AMI up');
  });
  afterAll(stopAll);

  const statusOf = async (aor: string) => (await service.api<PresenceJson>('/api/presence')).body.contacts.find((c) => c.aor === aor)?.status;

  it('given op002 registers with its password and answers qualify, then it is Reachable; after it unregisters it is gone', async () => {
    const phone = register('op002', 'lab-operator-secret', 6000);
    await waitFor(async () => (await statusOf('op002')) === 'Reachable', 'op002 reachable', 10_000);
    // A siaga112 started now learns of the registration from the contact list, not from events
    // (the first one stops first: never two apps named siaga112 at once).
    expect(await stopService(service)).toBe(0);
    const late = await startService();
    service = late;
    await waitFor(async () => (await late.api<PresenceJson>('/api/presence')).body.contacts.find((c) => c.aor === 'op002')?.status === 'Reachable', 'listed contact', 5000);
    const { code } = await phone.done;
    expect(code).toBe(0);
    await waitFor(async () => (await statusOf('op002')) === undefined, 'op002 removed', 5000);
  });

  it('given a wrong operator password, then registration is refused and no contact appears', async () => {
    const { code, output } = await register('op003', 'wrong-password', 500).done;
    expect(code).not.toBe(0);
    expect(output).toContain('401');
    expect(await statusOf('op003')).toBeUndefined();
  });
});
