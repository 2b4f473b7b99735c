// Reads `tcpdump -tt -n -A -r FILE` output on stdin and prints, per INVITE, the time from the
// INVITE to its 200 OK, then the median and p95 in milliseconds (JSON on stdout).
import { createInterface } from 'node:readline';

const invites = new Map();
const oks = new Map();
let packet = null;

function finish() {
  if (!packet) return;
  const text = packet.lines.join('\n');
  const callId = /Call-ID:\s*(\S+)/i.exec(text)?.[1];
  const cseq = /CSeq:\s*(\d+)\s+(\w+)/i.exec(text);
  if (callId && cseq && cseq[2] === 'INVITE') {
    if (/^INVITE sip:/m.test(text) || text.includes('INVITE sip:')) {
      if (!invites.has(callId)) invites.set(callId, packet.time);
    } else if (text.includes('SIP/2.0 200 OK') && !oks.has(callId)) {
      oks.set(callId, packet.time);
    }
  }
  packet = null;
}

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  const header = /^(\d+\.\d+) IP6? /.exec(line);
  if (header) {
    finish();
    packet = { time: Number(header[1]), lines: [] };
  } else if (packet) {
    packet.lines.push(line);
  }
}
finish();

const deltas = [...invites].filter(([id]) => oks.has(id)).map(([id, t]) => (oks.get(id) - t) * 1000).sort((a, b) => a - b);
const pick = (q) => deltas[Math.min(deltas.length - 1, Math.ceil(q * deltas.length) - 1)];
console.log(JSON.stringify({
  invites: invites.size,
  answered: deltas.length,
  medianMs: Number(pick(0.5)?.toFixed(2)),
  p95Ms: Number(pick(0.95)?.toFixed(2)),
  maxMs: Number(deltas.at(-1)?.toFixed(2)),
}));
