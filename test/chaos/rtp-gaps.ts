import { readFileSync } from 'node:fs';

/**
 * What each caller heard, from a tcpdump capture on lo (pcap, Linux loopback = Ethernet frames):
 * the arrival times of the UDP packets Asterisk sent to each destination port (a sipp caller's
 * media port). The longest gap between two of them is the longest silence at that caller.
 */
export function packetTimesByPort(pcapPath: string): Map<number, number[]> {
  const data = readFileSync(pcapPath);
  const byPort = new Map<number, number[]>();
  if (data.length < 24) return byPort;
  const little = data.readUInt32LE(0) === 0xa1b2c3d4;
  const u32 = (at: number) => (little ? data.readUInt32LE(at) : data.readUInt32BE(at));
  let at = 24;
  while (at + 16 <= data.length) {
    const seconds = u32(at);
    const micros = u32(at + 4);
    const captured = u32(at + 8);
    const frame = at + 16;
    at = frame + captured;
    if (at > data.length) break;
    // Ethernet (14) + IPv4 (IHL words) + UDP: destination port at UDP offset 2.
    if (captured < 14 + 20 + 8 || data.readUInt16BE(frame + 12) !== 0x0800) continue;
    const ihl = (data[frame + 14]! & 0x0f) * 4;
    if (data[frame + 14 + 9] !== 17) continue;
    const port = data.readUInt16BE(frame + 14 + ihl + 2);
    const times = byPort.get(port) ?? [];
    times.push(seconds * 1000 + micros / 1000);
    byPort.set(port, times);
  }
  return byPort;
}

/** The longest gap (ms) between consecutive packets, and where it began. */
export function longestGap(times: readonly number[]): { gapMs: number; from: number } {
  let best = { gapMs: 0, from: times[0] ?? 0 };
  for (let i = 1; i < times.length; i += 1) {
    const gap = times[i]! - times[i - 1]!;
    if (gap > best.gapMs) best = { gapMs: gap, from: times[i - 1]! };
  }
  return best;
}
