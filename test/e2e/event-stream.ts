/** One Server-Sent Event as a client receives it, with when it arrived (ms since the epoch). */
export interface StreamEvent {
  id: string;
  event: string;
  data: unknown;
  receivedAt: number;
}

/**
 * A client of siaga112's `GET /api/events` with a bearer token: every event as it arrives, and
 * a way to wait for one. Reads the response body as it streams (fetch, no EventSource here).
 */
export async function openEventStream(port: number, token: string) {
  const controller = new AbortController();
  const response = await fetch(`http://127.0.0.1:${port}/api/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  if (response.status !== 200 || !response.body) throw new Error(`GET /api/events answered ${response.status}`);
  const events: StreamEvent[] = [];
  const waiters = new Set<() => void>();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const pump = (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) return;
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':') && l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
        if (fields.event && fields.data) events.push({ id: fields.id ?? '', event: fields.event, data: JSON.parse(fields.data) as unknown, receivedAt: Date.now() });
      }
      for (const wake of [...waiters]) wake();
    }
  })();
  return {
    events,
    /** The first event (already received or still to come) that `match` accepts. */
    next(match: (event: StreamEvent) => boolean, what: string, timeoutMs = 10_000): Promise<StreamEvent> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} on the event stream`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}
