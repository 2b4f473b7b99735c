import { afterEach, describe, expect, it } from 'vitest';
import { AriRest } from '../../../src/ari/rest.js';
import { TelephonyError } from '../../../src/telephony/port.js';
import { fakeHttp } from '../../helpers/fake-http.js';
import { waitFor } from '../../helpers/wait-for.js';
import { VirtualClock } from '../../fakes/virtual-clock.js';

let server: Awaited<ReturnType<typeof fakeHttp>> | undefined;
afterEach(async () => server?.close());

const rest = (url: string, overrides: Partial<ConstructorParameters<typeof AriRest>[0]> = {}) =>
  new AriRest({ baseUrl: url, user: 'u', password: 'p', timeoutMs: 300, maxSockets: 2, maxPending: 1, ...overrides });

describe('ARI REST containment', () => {
  it('given an Asterisk that never answers, then the request rejects at its deadline instead of hanging', async () => {
    server = await fakeHttp(() => undefined);
    const clock = new VirtualClock();
    let settled = false;
    const outcome = rest(server.url, { timeoutMs: 5000, clock }).request('POST', '/channels/c1/answer').catch((e: unknown) => e).finally(() => { settled = true; });
    await waitFor(() => server!.hits.get('/ari/channels/c1/answer'), 'the request at Asterisk');
    await clock.advance(4999);
    expect(settled).toBe(false);
    await clock.advance(1);
    await waitFor(() => settled, 'the request ended at its deadline', 1000);
    const error = await outcome;
    expect(error).toBeInstanceOf(TelephonyError);
    expect((error as TelephonyError).status).toBe(0);
  });

  it('given ARI answers 404, then the error carries the status and ARI message', async () => {
    server = await fakeHttp((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Channel not found"}');
    });
    const error = (await rest(server.url).request('POST', '/channels/1795824045.2/answer').catch((e: unknown) => e)) as TelephonyError;
    expect(error).toMatchObject({ status: 404, message: 'Channel not found', operation: 'POST /channels/:id/answer', notFound: true });
  });

  it('given a refused connection, then the request rejects with status 0', async () => {
    const error = (await rest('http://127.0.0.1:1').request('GET', '/channels').catch((e: unknown) => e)) as TelephonyError;
    expect(error).toBeInstanceOf(TelephonyError);
    expect(error.status).toBe(0);
  });

  it('given the sockets and the waiting queue full, then a new request is refused at once with 503', async () => {
    server = await fakeHttp(() => undefined);
    const client = rest(server.url, { timeoutMs: 2000, maxSockets: 2, maxPending: 1 });
    const held = [1, 2, 3].map(() => client.request('GET', '/channels').catch(() => 'timed out'));
    await waitFor(() => (server!.hits.get('/ari/channels') ?? 0) >= 2, 'the sockets\' worth of requests at Asterisk');
    expect(client.inFlight + client.pending).toBe(3);
    const error = (await client.request('GET', '/channels').catch((e: unknown) => e)) as TelephonyError;
    expect(error).toMatchObject({ status: 503, message: 'too many ARI requests waiting' });
    // Only the sockets' worth of requests ever reached the server.
    expect(server.hits.get('/ari/channels')).toBe(2);
    await server.close();
    server = undefined;
    await Promise.all(held);
  });

  it('given a JSON answer, then it is parsed; a 204 gives undefined', async () => {
    server = await fakeHttp((req, res) => {
      if (req.method === 'GET') res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id":"a"}]');
      else res.writeHead(204).end();
    });
    const client = rest(server.url);
    expect(await client.request('GET', '/channels')).toEqual([{ id: 'a' }]);
    expect(await client.request('DELETE', '/channels/a')).toBeUndefined();
    expect(client.latencyMs).toBeGreaterThan(0);
  });
});
