import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, operatorToken, TEST_SUPERVISOR_TOKEN, testApp } from '../../helpers/core.js';
import { connectedCall } from '../../helpers/queue.js';

let h: ReturnType<typeof coreHarness>;
afterEach(() => h?.close());

const TRANSPORT_ERROR = 'connect ECONNREFUSED 127.0.0.1:8088';

describe('5xx bodies', () => {
  it('given ARI refusing the connection, when an operator transfers and a supervisor listens, then each answer names the failure and a ref, never the transport error, which the log keeps under that ref', async () => {
    h = coreHarness({ queue: true });
    const logged: string[] = [];
    h.log = pino({ level: 'error' }, new Writable({ write(chunk: Buffer, _encoding, done) { logged.push(chunk.toString('utf8')); done(); } }));
    const app = await testApp(h);
    const call = await connectedCall(h, 'op001', '0811888');

    h.telephony.failNext('originate', 0, 1, TRANSPORT_ERROR);
    const transfer = await app.inject({ method: 'POST', url: '/api/operator/transfer', headers: { authorization: `Bearer ${operatorToken('op001')}` }, payload: { agency: 'damkar', stay: true } });
    h.telephony.failNext('originate', 0, 1, TRANSPORT_ERROR);
    const monitor = await app.inject({
      method: 'POST', url: `/api/supervisor/calls/${call.callId}/monitor`, headers: { authorization: `Bearer ${TEST_SUPERVISOR_TOKEN}` }, payload: { endpoint: 'sup001', mode: 'listen' },
    });

    for (const [response, errorId] of [[transfer, 'transfer-failed'], [monitor, 'monitor-failed']] as const) {
      expect(response.statusCode).toBe(502);
      expect(response.body).not.toContain('ECONNREFUSED');
      expect(response.body).not.toContain('8088');
      const body = response.json<{ error: string; message: string; ref: string }>();
      expect(body.error).toBe(errorId);
      expect(body.ref).toMatch(/^[0-9a-f-]{36}$/);
      const line = logged.find((l) => l.includes(body.ref));
      expect(line, `a log line for ${body.ref}`).toContain(TRANSPORT_ERROR);
    }
    await app.close();
  });
});
