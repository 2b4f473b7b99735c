// AML message received -> its fix on the operator's live stream, over many messages.
//   node bench/aml-latency.mjs [messages=100]     (root; lab Asterisk, baresip, sipp; a built dist/)
// op001 (a real softphone, baresip, answering at once) talks to a sipp caller; op001's
// GET /api/events is open. Each message is an AML HTTPS POST (ETSI TS 103 625 form) for the
// caller's number, sent one after the other: the time from sending the POST to the
// `location.fix` event arriving on op001's stream (so it includes the HTTP request itself).
// Prints one JSON line; record it in bench/results/.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const repo = resolve(import.meta.dirname, '..');
const messages = Number(process.argv[2] ?? 100);
const work = mkdtempSync(join(tmpdir(), 'siaga112-aml-bench-'));
const httpPort = 3996;
const phonePort = 31010 + Math.floor(Math.random() * 150) * 10;
const children = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const lab = (cmd) => execFileSync('bash', [join(repo, 'scripts/lab-asterisk.sh'), cmd], { stdio: ['ignore', 'pipe', 'ignore'] });
let asteriskWasRunning = true;
try { lab('status'); } catch { asteriskWasRunning = false; }

function start(cmd, args, options = {}) {
  const child = spawn(cmd, args, { stdio: 'ignore', ...options });
  children.push(child);
  return child;
}
async function until(check, what, ms = 15000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}
const operator = async (method, path) => {
  const r = await fetch(`http://127.0.0.1:${httpPort}${path}`, { method, headers: { authorization: 'Bearer lab-operator-token-op001' } });
  return r.json();
};

try {
  lab('start');
  start('node', [join(repo, 'dist/main.js')], {
    env: { ...process.env, SIAGA112_MODE: 'lab', SIAGA112_HTTP_PORT: String(httpPort), SIAGA112_DB_PATH: join(work, 'bench.db'), SIAGA112_LOG_LEVEL: 'warn', SIAGA112_ANNOUNCE_INTERVAL_MS: '0' },
  });
  await until(async () => (await fetch(`http://127.0.0.1:${httpPort}/health`).catch(() => null))?.ok, 'siaga112', 30000);

  const phoneDir = join(work, 'baresip');
  execFileSync('mkdir', ['-p', phoneDir]);
  writeFileSync(join(phoneDir, 'accounts'), '<sip:op001@127.0.0.1:5060;transport=udp>;auth_pass=lab-operator-secret;answermode=auto;audio_codecs=PCMU,PCMA\n');
  writeFileSync(join(phoneDir, 'config'), [
    'poll_method epoll', `sip_listen 127.0.0.1:${phonePort}`, 'net_interface 127.0.0.1',
    'audio_player aubridge,nil', 'audio_source aubridge,nil', 'audio_alert aubridge,nil',
    'module_path /usr/lib/baresip/modules', 'module g711.so', 'module aubridge.so',
    'module_app account.so', 'module_app menu.so', `rtp_ports ${phonePort + 2}-${phonePort + 7}`, '',
  ].join('\n'));
  start('baresip', ['-f', phoneDir], { stdio: ['ignore', openSync(join(work, 'baresip.log'), 'w'), 'ignore'] });
  await until(async () => (await operator('GET', '/api/operator')).reachable, 'op001 registered', 40000);
  await operator('POST', '/api/operator/login');

  const caller = `0812${String(Date.now()).slice(-8)}`;
  start('sipp', ['127.0.0.1:5060', '-i', '127.0.0.1', '-p', '45990', '-mp', '45994', '-sf', join(repo, 'scripts/sipp/caller-dtmf.xml'),
    '-s', '112', '-set', 'caller', caller, '-set', 'key', '2', '-set', 'wait', '500', '-d', '600000', '-m', '1', '-nostdin']);
  await until(async () => (await operator('GET', '/api/operator')).state === 'busy', 'op001 talking to the caller', 20000);

  // op001's live stream: every location.fix event, stamped as it arrives.
  const arrived = [];
  const controller = new AbortController();
  const stream = await fetch(`http://127.0.0.1:${httpPort}/api/events`, { headers: { authorization: 'Bearer lab-operator-token-op001' }, signal: controller.signal });
  (async () => {
    const reader = stream.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ done: true }));
      if (done) return;
      const now = performance.now();
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.includes('event: location.fix')) arrived.push(now);
      }
    }
  })();
  await sleep(500);

  const delays = [];
  for (let i = 0; i < messages; i += 1) {
    const now = Date.now();
    const body = new URLSearchParams({
      v: '3', emergency_number: '112', source: 'call', time: String(now), location_time: String(now - 2000),
      location_latitude: (-6.24756 + i * 1e-5).toFixed(6), location_longitude: '107.01570', location_accuracy: '12.5', location_source: 'GPS',
      location_confidence: '68', device_number: `+62${caller.slice(1)}`,
    }).toString();
    const seen = arrived.length;
    const sentAt = performance.now();
    const response = await fetch(`http://127.0.0.1:${httpPort}/api/aml/https`, {
      method: 'POST', body, headers: { authorization: 'Bearer lab-aml-token-change-me', 'content-type': 'application/x-www-form-urlencoded' },
    });
    if (response.status !== 202) throw new Error(`AML POST answered ${response.status}: ${await response.text()}`);
    await until(() => arrived.length > seen, `fix ${i + 1} on the stream`, 5000);
    delays.push(arrived[seen] - sentAt);
  }
  controller.abort();
  delays.sort((a, b) => a - b);
  const pct = (p) => delays[Math.min(delays.length - 1, Math.ceil((p / 100) * delays.length) - 1)];
  console.log(JSON.stringify({
    measured: 'AML HTTPS POST sent -> location.fix on the operator\'s /api/events stream (op001 talking to the caller)',
    messages: delays.length, medianMs: +pct(50).toFixed(2), p95Ms: +pct(95).toFixed(2), p99Ms: +pct(99).toFixed(2), maxMs: +delays.at(-1).toFixed(2),
  }));
} finally {
  // Hang the call up while siaga112 runs, then kill what was started here (lab, loopback only).
  const auth = { authorization: `Basic ${Buffer.from('siaga112:lab-ari-secret').toString('base64')}` };
  const channels = await fetch('http://127.0.0.1:8088/ari/channels', { headers: auth }).then((r) => r.json()).catch(() => []);
  for (const channel of channels) await fetch(`http://127.0.0.1:8088/ari/channels/${channel.id}`, { method: 'DELETE', headers: auth }).catch(() => undefined);
  await sleep(500);
  for (const child of children.reverse()) child.kill('SIGKILL');
  await sleep(300);
  if (!asteriskWasRunning) lab('stop');
}
