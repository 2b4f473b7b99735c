// An agency's webhook endpoint for bench/outbox-delivery.mjs, in its own process (so it does not
// share siaga112's event loop): verifies each signature as a real receiver must, answers 204, and
// tells the parent when each event (by idempotency key) first arrived, in epoch milliseconds.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';

const keys = new Map();
const seen = new Set();
let invalid = 0;
const now = () => performance.timeOrigin + performance.now();

process.on('message', (message) => {
  if (message.type === 'keys') for (const [path, key] of Object.entries(message.keys)) keys.set(path, key);
  if (message.type === 'report') process.send({ type: 'report', invalid, distinct: seen.size });
});

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const at = now();
    const body = Buffer.concat(chunks).toString('utf8');
    const [t, v1] = String(req.headers['siaga112-signature']).split(',').map((part) => part.slice(part.indexOf('=') + 1));
    const expected = createHmac('sha256', keys.get(req.url) ?? '').update(`${t}.${body}`).digest();
    const given = Buffer.from(v1 ?? '', 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) invalid++;
    const key = String(req.headers['idempotency-key']);
    if (!seen.has(key)) {
      seen.add(key);
      process.send({ type: 'event', key, at });
    }
    res.writeHead(204).end();
  });
});
server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
