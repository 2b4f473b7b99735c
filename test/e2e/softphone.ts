import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { track, untrack } from './lab.js';

export const OPERATOR_PASSWORD = 'lab-operator-secret';

export interface SoftphoneEvent {
  type: string;
  peerdisplayname?: string;
  peeruri?: string;
  id?: string;
}

export interface Softphone {
  operatorId: string;
  events: SoftphoneEvent[];
  /** Events of one type so far. */
  count(type: string): number;
  command(command: string, params?: string): void;
  stop(): Promise<void>;
  /** The softphone dies on the spot (SIGKILL): no BYE, no more audio. */
  kill(): Promise<void>;
}

// Between Asterisk's RTP range (10000-30000) and Linux's ephemeral ports (32768-60999): a port
// there can be taken at any moment by some outgoing connection's local end, and baresip then
// fails to bind and exits (seen in CI).
const FIRST_PORT = 30010;
const SLOTS = 270;
let nextSlot = Math.floor(Math.random() * SLOTS);

function takePort(): number {
  const port = FIRST_PORT + nextSlot * 10;
  nextSlot = (nextSlot + 1) % SLOTS;
  return port;
}

/**
 * A real softphone: baresip (Debian baresip-core), headless (aubridge, no sound card), on
 * loopback, controlled and observed through its ctrl_tcp socket. `answer: 'auto'` picks up at
 * once; `manual` lets it ring. `register: false` listens without registering (an operator whose
 * phone is not signed in).
 */
export async function startSoftphone(operatorId: string, options: { answer?: 'auto' | 'manual'; register?: boolean; speakFile?: string } = {}): Promise<Softphone> {
  // A port taken by another process makes baresip exit before its control socket listens: try
  // the next ports before giving up.
  for (let attempt = 1; ; attempt += 1) {
    const started = await launch(operatorId, takePort(), options);
    if (started) return started;
    if (attempt === 3) throw new Error(`baresip for ${operatorId} exited three times before listening`);
  }
}

async function launch(operatorId: string, sipPort: number, options: { answer?: 'auto' | 'manual'; register?: boolean; speakFile?: string }): Promise<Softphone | null> {
  const dir = mkdtempSync(join(tmpdir(), `siaga112-baresip-${operatorId}-`));
  const params = [`auth_pass=${OPERATOR_PASSWORD}`, `answermode=${options.answer ?? 'auto'}`, 'audio_codecs=PCMU,PCMA'];
  if (options.register === false) params.push('regint=0');
  writeFileSync(join(dir, 'accounts'), `<sip:${operatorId}@127.0.0.1:5060;transport=udp>;${params.join(';')}\n`);
  writeFileSync(join(dir, 'config'), [
    'poll_method epoll', `sip_listen 127.0.0.1:${sipPort}`, 'net_interface 127.0.0.1',
    // A phone sends audio all the time, as one with a microphone does (Asterisk's rtp_timeout
    // takes a phone that stops for a dead one): a file when given, otherwise a quiet tone.
    'audio_player aubridge,nil', `audio_source aufile,${options.speakFile ?? quietTone()}`, 'audio_alert aubridge,nil',
    'module_path /usr/lib/baresip/modules', 'module g711.so', 'module aubridge.so', 'module aufile.so',
    'module_app account.so', 'module_app menu.so', 'module_app ctrl_tcp.so',
    // sip_listen takes the port above it too (TLS): control and RTP stay clear of both.
    `ctrl_tcp_listen 127.0.0.1:${sipPort + 8}`, `rtp_ports ${sipPort + 2}-${sipPort + 7}`, '',
  ].join('\n'));
  const proc: ChildProcess = spawn('baresip', ['-f', dir], { stdio: ['ignore', 'ignore', 'ignore'] });
  track(proc);
  let gone = false;
  const exited = new Promise<void>((resolve) => proc.on('exit', () => {
    gone = true;
    untrack(proc);
    resolve();
  }));
  const socket = await connectWithRetry(sipPort + 8, () => gone);
  if (!socket) {
    if (!gone) proc.kill('SIGKILL');
    await exited;
    return null;
  }
  const events: SoftphoneEvent[] = [];
  let buffer = '';
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    // ctrl_tcp frames are netstrings: "<length>:<json>,"
    for (;;) {
      const colon = buffer.indexOf(':');
      if (colon < 0) break;
      const length = Number(buffer.slice(0, colon));
      if (buffer.length < colon + 1 + length + 1) break;
      const body = buffer.slice(colon + 1, colon + 1 + length);
      buffer = buffer.slice(colon + 1 + length + 1);
      try {
        const message = JSON.parse(body) as { event?: boolean } & SoftphoneEvent;
        if (message.event) events.push(message);
      } catch {
        // a response to a command, not an event
      }
    }
  });
  return {
    operatorId,
    events,
    count: (type) => events.filter((e) => e.type === type).length,
    command(command, params) {
      const body = JSON.stringify({ command, params, token: String(Date.now()) });
      socket.write(`${Buffer.byteLength(body)}:${body},`);
    },
    async kill() {
      socket.destroy();
      proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      socket.destroy();
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** An hour of a quiet tone (8 kHz mono), made once per machine with sox. */
function quietTone(): string {
  const path = join(tmpdir(), 'siaga112-softphone-tone-3600s.wav');
  if (!existsSync(path)) {
    const partial = path.replace(/\.wav$/, `.${process.pid}.partial.wav`);
    execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', partial, 'synth', '3600', 'sine', '440', 'vol', '0.05']);
    renameSync(partial, path);
  }
  return path;
}

/** The control socket once baresip listens; null when baresip exited first or never listened. */
async function connectWithRetry(port: number, exited: () => boolean): Promise<Socket | null> {
  const deadline = Date.now() + 5000;
  while (!exited() && Date.now() <= deadline) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return null;
}
