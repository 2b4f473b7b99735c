import { ok, refused, type ParseResult } from './fix.js';
import { MAX_PIDF_BYTES } from './pidf/pidf-lo.js';

export interface ReferenceSettings {
  /** host:port pairs (or bare hosts) a by-reference location may be fetched from. */
  allowedHosts: readonly string[];
  timeoutMs: number;
}

/**
 * Fetches a PIDF-LO by reference (RFC 6442 `Geolocation: <https://...>`). Asterisk does not
 * dereference it, and a URI in a caller's INVITE is untrusted input: only http(s), only the
 * location servers the centre configured, a short timeout, a size cap, no redirects. Never
 * throws: every failure is a reason to record.
 */
export async function fetchPidfReference(uri: string, settings: ReferenceSettings): Promise<ParseResult<string>> {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return refused(`location reference is not a URI: ${JSON.stringify(uri.slice(0, 200))}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refused(`location reference scheme ${url.protocol} is not fetched (http and https only)`);
  if (!settings.allowedHosts.includes(url.host) && !settings.allowedHosts.includes(url.hostname)) {
    return refused(`location server ${url.host} is not in SIAGA112_PIDF_REF_HOSTS`);
  }
  try {
    const response = await fetch(url, {
      redirect: 'manual', signal: AbortSignal.timeout(settings.timeoutMs),
      headers: { accept: 'application/pidf+xml, application/xml;q=0.5' },
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      return refused(`location server answered HTTP ${response.status}`);
    }
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > MAX_PIDF_BYTES) {
      await response.body?.cancel();
      return refused(`location document of ${length} bytes exceeds ${MAX_PIDF_BYTES}`);
    }
    const text = await response.text();
    if (Buffer.byteLength(text) > MAX_PIDF_BYTES) return refused(`location document exceeds ${MAX_PIDF_BYTES} bytes`);
    return ok(text);
  } catch (error) {
    const name = (error as { name?: string } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') return refused(`location server did not answer within ${settings.timeoutMs} ms`);
    return refused(`location server unreachable: ${error instanceof Error ? error.message : String(error)}`);
  }
}
