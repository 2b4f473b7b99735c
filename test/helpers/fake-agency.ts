import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../../src/dispatch/webhook-signature.js';

/** One request as the agency's endpoint received it: the raw body and the two headers that matter. */
export interface ReceivedWebhook {
  idempotencyKey: string;
  signature: string;
  rawBody: string;
  receivedAt: number;
}

/** What the endpoint does with its n-th request (1-based): accept, fail with a status, or never answer. */
export type AgencyBehaviour = (n: number) => { status: number } | 'hang';

/**
 * An agency's webhook receiver on 127.0.0.1, written as an agency would write it: it keeps every
 * request, and its `events()` are the deduplicated ones (by idempotency key, first arrival kept),
 * which is what an at-least-once sender promises a receiver can get.
 */
export async function fakeAgency(behaviour: AgencyBehaviour = () => ({ status: 204 })) {
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        idempotencyKey: String(req.headers['idempotency-key'] ?? ''), signature: String(req.headers['siaga112-signature'] ?? ''),
        rawBody: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now(),
      });
      const answer = behaviour(received.length);
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(answer.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/siaga112/webhook`,
    received,
    /** Each event once, in the order it first arrived, parsed. */
    events: () => {
      const seen = new Set<string>();
      return received.filter((r) => !seen.has(r.idempotencyKey) && seen.add(r.idempotencyKey)).map((r) => ({ ...r, body: JSON.parse(r.rawBody) as { id: string; type: string } }));
    },
    /** The verdict on each received request's signature, with the agency's key at `nowSec`. */
    verdicts: (key: string, nowSec: number) => received.map((r) => verifyWebhook(r.signature, r.rawBody, key, nowSec)),
    close: () => new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
