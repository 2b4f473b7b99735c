// "Operator becomes available" -> "INVITE sent to the softphone", over many offers.
//   node bench/offer-latency.mjs [offers=120]      (root; lab Asterisk, tcpdump, baresip, sipp; a built dist/)
// One caller waits in the queue; op001 is a real softphone (baresip) that lets the call ring and
// declines it, which auto-pauses op001 (no-answer). Each round the operator resumes through the API:
// the resume's timestamp in operator_events is "available", the INVITE to op001's port captured
// on lo is "sent". Prints one JSON line; record it in bench/results/.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

const repo = resolve(import.meta.dirname, '..');
const offers = Number(process.argv[2] ?? 120);
const work = mkdtempSync(join(tmpdir(), 'siaga112-offer-bench-'));
const httpPort = 3998;
// A fresh port each run: a softphone re-registering the contact a killed one left behind stays
// "Unreachable" until Asterisk's next qualify (up to 30 s).
const phonePort = 56010 + Math.floor(Math.random() * 300) * 10;
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
const api = async (method, path) => {
  const r = await fetch(`http://127.0.0.1:${httpPort}${path}`, { method, headers: { authorization: 'Bearer lab-operator-token-op001' } });
  return r.json();
};

try {
  lab('start');
  const db = join(work, 'bench.db');
  start('node', [join(repo, 'dist/main.js')], {
    env: { ...process.env, SIAGA112_MODE: 'lab', SIAGA112_HTTP_PORT: String(httpPort), SIAGA112_DB_PATH: db, SIAGA112_LOG_LEVEL: 'warn', SIAGA112_ANNOUNCE_INTERVAL_MS: '0' },
  });
  await until(async () => (await fetch(`http://127.0.0.1:${httpPort}/health`).catch(() => null))?.ok, 'siaga112', 30000);

  const phoneDir = join(work, 'baresip');
  execFileSync('mkdir', ['-p', phoneDir]);
  writeFileSync(join(phoneDir, 'accounts'), '<sip:op001@127.0.0.1:5060;transport=udp>;auth_pass=lab-operator-secret;answermode=manual;audio_codecs=PCMU,PCMA\n');
  writeFileSync(join(phoneDir, 'config'), [
    'poll_method epoll', `sip_listen 127.0.0.1:${phonePort}`, 'net_interface 127.0.0.1',
    'audio_player aubridge,nil', 'audio_source aubridge,nil', 'audio_alert aubridge,nil',
    'module_path /usr/lib/baresip/modules', 'module g711.so', 'module aubridge.so',
    'module_app account.so', 'module_app menu.so', 'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${phonePort + 8}`, `rtp_ports ${phonePort + 2}-${phonePort + 7}`, '',
  ].join('\n'));
  start('baresip', ['-f', phoneDir], { stdio: ['ignore', openSync(join(work, 'baresip.log'), 'w'), 'ignore'] });
  let incoming = 0;
  const ctrl = await (async () => {
    for (;;) {
      try {
        return await new Promise((ok, fail) => { const s = connect(phonePort + 8, '127.0.0.1', () => ok(s)); s.once('error', fail); });
      } catch { await sleep(100); }
    }
  })();
  ctrl.on('data', (chunk) => { incoming += (chunk.toString().match(/"type":"CALL_INCOMING"/g) ?? []).length; });
  const decline = () => { const body = JSON.stringify({ command: 'hangup' }); ctrl.write(`${body.length}:${body},`); };

  // A new contact is qualified at once; one Asterisk still knew may wait for the next qualify (30 s).
  await until(async () => (await api('GET', '/api/operator')).reachable, 'op001 registered', 40000);
  const caller = `0812${String(Date.now()).slice(-8)}`;
  const tcpdump = start('tcpdump', ['-i', 'lo', '-n', '-s', '0', '-U', '-w', join(work, 'sip.pcap'), `udp dst port ${phonePort}`]);
  await sleep(1000);
  start('sipp', ['127.0.0.1:5060', '-i', '127.0.0.1', '-p', '56100', '-mp', '56104', '-sf', join(repo, 'scripts/sipp/caller-dtmf.xml'),
    '-s', '112', '-set', 'caller', caller, '-set', 'key', '2', '-set', 'wait', '500', '-d', '600000', '-m', '1', '-nostdin']);
  const sqlite = new Database(db, { readonly: true });
  const callState = () => sqlite.prepare('SELECT state FROM calls WHERE caller_number = ? ORDER BY arrived_at DESC').get(caller)?.state;
  await until(() => callState() === 'queued', 'caller queued');

  await api('POST', '/api/operator/login');
  for (let round = 0; round < offers; round += 1) {
    await until(() => incoming > round, `offer ${round + 1} ringing`);
    decline();
    await until(async () => (await api('GET', '/api/operator')).state === 'paused', 'op001 auto-paused');
    if (round + 1 < offers) await api('POST', '/api/operator/resume');
  }
  // Let tcpdump write the last packets before it is stopped.
  await sleep(2000);
  tcpdump.kill('SIGINT');
  await new Promise((r) => tcpdump.on('exit', r));

  const available = sqlite.prepare("SELECT at FROM operator_events WHERE operator_id = 'op001' AND trigger IN ('login', 'resume') ORDER BY id").all().map((r) => r.at);
  const dump = execFileSync('tcpdump', ['-tt', '-n', '-A', '-r', join(work, 'sip.pcap')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const invites = [];
  let stamp = 0;
  for (const line of dump.split('\n')) {
    const header = /^(\d+\.\d+) IP /.exec(line);
    if (header) stamp = Number(header[1]) * 1000;
    else if (line.includes('INVITE sip:')) invites.push(stamp);
  }
  const delays = available.map((at) => invites.find((t) => t >= at) - at).filter((d) => Number.isFinite(d)).sort((a, b) => a - b);
  const pct = (p) => delays[Math.min(delays.length - 1, Math.ceil((p / 100) * delays.length) - 1)];
  console.log(JSON.stringify({
    measured: 'operator available (login/resume) -> INVITE on the wire to the softphone',
    offers: delays.length, invitesSeen: invites.length,
    medianMs: +pct(50).toFixed(2), p95Ms: +pct(95).toFixed(2), p99Ms: +pct(99).toFixed(2), maxMs: +delays.at(-1).toFixed(2),
  }));
} finally {
  // The waiting caller is hung up while siaga112 still runs (a killed siaga112 would leave it to
  // the dialplan fallback, which rings the operators); then everything started here is killed
  // (SIGKILL: a SIGTERM'd siaga112 drains live calls for minutes). Lab, loopback only.
  const auth = { authorization: `Basic ${Buffer.from('siaga112:lab-ari-secret').toString('base64')}` };
  const channels = await fetch('http://127.0.0.1:8088/ari/channels', { headers: auth }).then((r) => r.json()).catch(() => []);
  for (const channel of channels) await fetch(`http://127.0.0.1:8088/ari/channels/${channel.id}`, { method: 'DELETE', headers: auth }).catch(() => undefined);
  await sleep(500);
  for (const child of children.reverse()) child.kill('SIGKILL');
  await sleep(300);
  if (!asteriskWasRunning) lab('stop');
}
