import { afterEach, describe, expect, it } from 'vitest';
import { type AriRequestMeasure, AriRest, operationLabel } from '../../../src/ari/rest.js';
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

describe('ARI request measures', () => {
  it('given request paths with channel ids, bridge ids, playback ids and recording names, then the operation keeps ARI\'s words only', () => {
    expect(operationLabel('POST', '/channels/1795824045.2/answer')).toBe('POST /channels/:id/answer');
    expect(operationLabel('POST', '/channels/chan-abc/play/7f0c6c36-7d0e-4f57-9a55-3e7b0c1b2a11')).toBe('POST /channels/:id/play/:id');
    expect(operationLabel('POST', '/bridges/hold-7f0c6c36/addChannel')).toBe('POST /bridges/:id/addChannel');
    expect(operationLabel('DELETE', '/recordings/stored/call-abc')).toBe('DELETE /recordings/stored/:id');
    expect(operationLabel('GET', '/asterisk/info')).toBe('GET /asterisk/info');
    expect(operationLabel('GET', '/channels')).toBe('GET /channels');
  });

  it('given answers 204, 404 and 500 and a listener that throws, then each request is measured with its outcome and still answers as ARI did', async () => {
    server = await fakeHttp((req, res) => {
      if (req.url?.includes('gone')) res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Channel not found"}');
      else if (req.url?.includes('broken')) res.writeHead(500).end();
      else res.writeHead(204).end();
    });
    const rest = new AriRest({ baseUrl: server.url, user: 'u', password: 'p', timeoutMs: 1000, maxSockets: 2, maxPending: 4 });
    const measures: AriRequestMeasure[] = [];
    rest.onMeasure(() => {
      throw new Error('a metrics bug');
    });
    const stop = rest.onMeasure((measure) => measures.push(measure));
    await rest.request('POST', '/channels/1.1/answer');
    await expect(rest.request('DELETE', '/channels/gone-1')).rejects.toMatchObject({ status: 404 });
    await expect(rest.request('GET', '/bridges/broken-1')).rejects.toMatchObject({ status: 500 });
    stop();
    await rest.request('POST', '/channels/1.1/answer');
    await rest.close();
    expect(measures.map(({ operation, outcome }) => [operation, outcome])).toEqual([
      ['POST /channels/:id/answer', 'ok'], ['DELETE /channels/:id', 'client-error'], ['GET /bridges/:id', 'server-error'],
    ]);
    for (const { seconds } of measures) expect(seconds).toBeGreaterThan(0);
  });

  it('given an Asterisk that cannot be reached, then the request is measured as failed', async () => {
    const rest = new AriRest({ baseUrl: 'http://127.0.0.1:1', user: 'u', password: 'p', timeoutMs: 500, maxSockets: 1, maxPending: 1 });
    const measures: AriRequestMeasure[] = [];
    rest.onMeasure((measure) => measures.push(measure));
    await expect(rest.request('GET', '/channels')).rejects.toMatchObject({ status: 0 });
    await rest.close();
    expect(measures).toEqual([expect.objectContaining({ operation: 'GET /channels', outcome: 'failed' })]);
  });
});
