import type { Clock } from '../clock.js';
import { ok, refused, type ParseResult } from '../geo/fix.js';
import { MAX_PIDF_BYTES } from './pidf/pidf-lo.js';

export interface ReferenceSettings {
  /**
   * The location servers a by-reference location may be fetched from: `host:port`, or a bare host
   * for its scheme's default port only (a caller's URI must not pick another port on it).
   */
  allowedHosts: readonly string[];
  timeoutMs: number;
}

/**
 * Fetches a PIDF-LO by reference (RFC 6442 `Geolocation: <https://...>`). Asterisk does not
 * dereference it, and a URI in a caller's INVITE is untrusted input: only http(s), only the
 * location servers the centre configured, a deadline on the clock, at most 64 KiB read (the body
 * is cut off as it streams, whatever the server says its length is), no redirects. Never throws:
 * every failure is a reason to record.
 */
export async function fetchPidfReference(uri: string, settings: ReferenceSettings, clock: Clock): Promise<ParseResult<string>> {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return refused(`location reference is not a URI: ${JSON.stringify(uri.slice(0, 200))}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refused(`location reference scheme ${url.protocol} is not fetched (http and https only)`);
  // url.host carries the port only when it is not the scheme's default.
  if (!settings.allowedHosts.includes(url.host)) return refused(`location server ${url.host} is not in SIAGA112_PIDF_REF_HOSTS`);
  const controller = new AbortController();
  const deadline = clock.after(settings.timeoutMs, () => controller.abort());
  try {
    const response = await fetch(url, { redirect: 'manual', signal: controller.signal, headers: { accept: 'application/pidf+xml, application/xml;q=0.5' } });
    if (response.status !== 200 || !response.body) {
      await response.body?.cancel();
      return refused(`location server answered HTTP ${response.status}`);
    }
    return await readCapped(response.body);
  } catch (error) {
    if (controller.signal.aborted) return refused(`location server did not answer within ${settings.timeoutMs} ms`);
    return refused(`location server unreachable: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    deadline.cancel();
  }
}

async function readCapped(body: ReadableStream<Uint8Array>): Promise<ParseResult<string>> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > MAX_PIDF_BYTES) {
      await reader.cancel();
      return refused(`location document exceeds ${MAX_PIDF_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return ok(Buffer.concat(chunks).toString('utf8'));
}
