import { createRequire } from 'node:module';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AriAuthError, AriConnection } from '../../../src/ari/connection.js';
import { AriRest } from '../../../src/ari/rest.js';
import { fakeHttp } from '../../helpers/fake-http.js';
import { waitFor } from '../../helpers/wait-for.js';
import { VirtualClock } from '../../fakes/virtual-clock.js';

const require = createRequire(import.meta.url);
let server: Awaited<ReturnType<typeof fakeHttp>> | undefined;
afterEach(async () => server?.close());

/** A connection whose retry waits run on `clock`; its REST requests are real. */
function connection(url: string, clock = new VirtualClock()) {
  const rest = new AriRest({ baseUrl: url, user: 'siaga112', password: 'wrong', timeoutMs: 500, maxSockets: 2, maxPending: 10 });
  return new AriConnection({ url, user: 'siaga112', password: 'wrong', app: 'siaga112', heartbeatMs: 1000, log: pino({ level: 'silent' }), rest, clock });
}

describe('ARI connection containment', () => {
  it('given wrong credentials, then start fails with one clear error (no crash, no retry loop)', async () => {
    server = await fakeHttp((_req, res) => res.writeHead(401).end('{"message":"Authentication required"}'));
    const error = await connection(server.url).start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AriAuthError);
    expect((error as Error).message).toBe('ARI rejected user "siaga112" (HTTP 401): check SIAGA112_ARI_USER and SIAGA112_ARI_PASSWORD');
  });

  it('given an Asterisk answering 503 while it starts, then start keeps retrying', async () => {
    server = await fakeHttp((_req, res, hits) => res.writeHead(hits < 3 ? 503 : 401).end());
    const clock = new VirtualClock();
    const started = connection(server.url, clock).start().catch((e: unknown) => e);
    // Each 503 is retried after a wait on the clock, longer each time.
    for (const [answers, waitMs] of [[1, 200], [2, 400]] as const) {
      await waitFor(() => server!.hits.get('/ari/asterisk/info') === answers && clock.pending === 1, `answer ${answers} and its retry wait`);
      await clock.advance(waitMs - 1);
      expect(server.hits.get('/ari/asterisk/info')).toBe(answers);
      await clock.advance(1);
    }
    const error = await started;
    // Two 503s were retried; the third answer (401) ended it.
    expect(server.hits.get('/ari/asterisk/info')).toBe(3);
    expect(error).toBeInstanceOf(AriAuthError);
  });

  it.each([401, 500])('given /ari/api-docs answering %i, then patched ari-client rejects instead of throwing a string out of reach', async (status) => {
    server = await fakeHttp((req, res) => {
      // The first probe (no auth) succeeds; swagger-client's load of the same document fails.
      if (req.headers.authorization) res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const ari = require('ari-client') as { connect(url: string, user: string, pass: string): Promise<unknown> };
    const outcome = await ari.connect(server.url, 'siaga112', 'wrong').then(() => 'resolved', (e: unknown) => `rejected: ${String(e)}`);
    // swagger-client's own message: "<status> : <statusText> <url>" (statusText is not set by it).
    expect(outcome).toBe(`rejected: ${status} : undefined ${server.url}/ari/api-docs/resources.json`);
  });
});
