import { afterAll, describe, expect, it } from 'vitest';
import type { CallListJson, HealthJson } from '../helpers/api-types.js';
import { waitFor } from '../helpers/wait-for.js';
import { e2eEnabled, sipp, sippCounts, startService, stopAll, uniqueCaller } from './lab.js';

describe.runIf(e2eEnabled)('AMI containment', () => {
  afterAll(stopAll);

  it('given a wrong AMI password, then siaga112 keeps answering calls, reports AMI down and logs one clear line without the secret', async () => {
    const service = await startService({ SIAGA112_AMI_PASSWORD: 'not-the-ami-password' });
    const line = await waitFor(() => service.stdout.find((l) => l.includes('AMI rejected user')), 'AMI login error');
    expect(JSON.parse(line)).toMatchObject({ msg: 'AMI rejected user "siaga112": check SIAGA112_AMI_USER and SIAGA112_AMI_PASSWORD' });
    const health = await service.api<HealthJson>('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'degraded', ami: { connected: false }, ari: { connected: true } });
    expect(service.stdout.join('\n')).not.toContain('not-the-ami-password');
    // And it keeps answering calls: a caller is answered by siaga112 and recorded.
    const caller = uniqueCaller();
    const { output } = await sipp({ number: '112', caller, holdMs: 1500 }).done;
    expect(sippCounts(output)).toMatchObject({ successful: 1, failed: 0 });
    const { body } = await service.api<CallListJson>('/api/calls?limit=50');
    expect(body.items.find((c) => c.callerNumber === caller)).toMatchObject({ fallbackReason: null, answeredAt: expect.any(String) });
    expect(service.proc.exitCode).toBeNull();
  });
});
