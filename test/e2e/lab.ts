import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { onTestFailed } from 'vitest';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '../helpers/wait-for.js';

/**
 * End-to-end helpers: the lab Asterisk (scripts/lab-asterisk.sh), siaga112 as a real process
 * (dist/main.js), and sipp callers. Everything started here is tracked by pid and stopped by
 * stopAll(), which every e2e file calls in afterEach/afterAll, failing or not.
 */

export const REPO = resolve(import.meta.dirname, '../..');
export const LAB_ROOT = process.env.SIAGA112_LAB_ROOT ?? '/var/lib/siaga112/lab';
export const API_TOKEN = 'e2e-api-token-0123456789';
export const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const LAB_SCRIPT = join(REPO, 'scripts/lab-asterisk.sh');

/** True when the real-Asterisk tests can run here (root). In CI they must: see global-setup. */
export const e2eEnabled = process.getuid?.() === 0;

const children = new Set<ChildProcess>();

/**
 * Tracks a child for stopAll() and, when .ci/run asks for it (SIAGA112_E2E_PIDFILE), writes its
 * pid to a file so that CI's trap can stop it even if the test runner itself dies.
 */
export function track(child: ChildProcess): void {
  children.add(child);
  const pidFile = process.env.SIAGA112_E2E_PIDFILE;
  if (pidFile && child.pid) appendFileSync(pidFile, `${child.pid}\n`);
}

/** A tracked child that exited by itself. */
export function untrack(child: ChildProcess): void {
  children.delete(child);
}

export function labAsterisk(command: 'start' | 'stop' | 'restart' | 'pid'): string {
  return execFileSync('bash', [LAB_SCRIPT, command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** True when the lab Asterisk is running (`status` exits 3 when it is not). */
export function labAsteriskRunning(): boolean {
  try {
    execFileSync('bash', [LAB_SCRIPT, 'status'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function asteriskPid(): number {
  return Number(labAsterisk('pid'));
}

export function asteriskCli(command: string): string {
  return execFileSync('bash', [LAB_SCRIPT, 'rx', command], { encoding: 'utf8' });
}

export interface Service {
  proc: ChildProcess;
  port: number;
  dbPath: string;
  stdout: string[];
  exited: Promise<number | null>;
  api<T = unknown>(path: string): Promise<{ status: number; body: T }>;
  /** A supervisor's GET (lab supervisor token), the body as bytes. */
  supervisor(path: string, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; bytes: Buffer }>;
  /** A supervisor's POST (lab supervisor token). */
  supervisorPost<T = unknown>(path: string, body: unknown): Promise<{ status: number; body: T }>;
  /** An operator's own API request (lab operator token). */
  operator<T = unknown>(operatorId: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** An admin API request (lab admin token). */
  admin<T = unknown>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

let nextPort = 3100 + Math.floor(Math.random() * 400);

/** Starts siaga112 in lab mode on a fresh port; resolves once it logged "siaga112 ready". */
export async function startService(env: Record<string, string> = {}, options: { dbPath?: string; waitReady?: boolean; port?: number } = {}): Promise<Service> {
  const port = options.port ?? nextPort++;
  const dbPath = options.dbPath ?? join(mkdtempSync(join(tmpdir(), 'siaga112-e2e-')), 'siaga112.db');
  const proc = spawn(process.execPath, [join(REPO, 'dist/main.js')], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      SIAGA112_MODE: 'lab',
      SIAGA112_LAB_ROOT: LAB_ROOT,
      SIAGA112_API_TOKEN: API_TOKEN,
      SIAGA112_ADMIN_TOKEN: ADMIN_TOKEN,
      SIAGA112_HTTP_PORT: String(port),
      SIAGA112_DB_PATH: dbPath,
      SIAGA112_CDR_POLL_MS: '300',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(proc);
  const stdout: string[] = [];
  let partial = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    stdout.push(...lines);
  });
  proc.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[siaga112 stderr] ${chunk.toString('utf8')}`));
  // A failing test leaves the service's log behind, to read why (the test's output names the file).
  try {
    onTestFailed(() => {
      const path = join(tmpdir(), `siaga112-e2e-${port}.log`);
      writeFileSync(path, stdout.join('\n'));
      process.stderr.write(`[siaga112 :${port} log: ${path}]\n`);
    });
  } catch {
    // Started outside a test (a beforeAll): nothing to attach to.
  }
  const exited = new Promise<number | null>((resolveExit) => proc.on('exit', (code, signal) => {
    children.delete(proc);
    if (partial) stdout.push(partial);
    // An exit nobody asked for: show why, the test will fail on it.
    if (code !== 0 && signal === null) {
      process.stderr.write(`[siaga112 :${port} exited ${code}]\n${stdout.slice(-15).join('\n')}\n`);
    }
    resolveExit(code);
  }));
  const service: Service = {
    proc, port, dbPath, stdout, exited,
    async api<T>(path: string) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
      return { status: response.status, body: (await response.json()) as T };
    },
    async supervisor(path: string, headers: Record<string, string> = {}) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: 'Bearer lab-supervisor-token-change-me', ...headers } });
      return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
    },
    async supervisorPost<T>(path: string, body: unknown) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST', body: JSON.stringify(body),
        headers: { authorization: 'Bearer lab-supervisor-token-change-me', 'content-type': 'application/json' },
      });
      return { status: response.status, body: (await response.json()) as T };
    },
    async operator<T>(operatorId: string, method: 'GET' | 'POST', path: string, body?: unknown) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { authorization: `Bearer lab-operator-token-${operatorId}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as T };
    },
    async admin<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
  };
  if (options.waitReady !== false) {
    await waitFor(() => stdout.some((line) => line.includes('"msg":"siaga112 ready"')), 'siaga112 ready', 20_000);
  }
  return service;
}

/** siaga112's guardian as a real process (dist/guardian/main.js) watching the service on `port`. */
export function startGuardian(port: number, env: Record<string, string> = {}): { proc: ChildProcess; stdout: string[]; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, [join(REPO, 'dist/guardian/main.js')], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SIAGA112_MODE: 'lab', SIAGA112_LAB_ROOT: LAB_ROOT, SIAGA112_HTTP_PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(proc);
  const stdout: string[] = [];
  proc.stdout!.on('data', (chunk: Buffer) => stdout.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  proc.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[guardian stderr] ${chunk.toString('utf8')}`));
  const exited = new Promise<number | null>((resolveExit) => proc.on('exit', (code) => {
    children.delete(proc);
    resolveExit(code);
  }));
  return { proc, stdout, exited };
}

/** Stops a service with a signal and waits for it to exit; returns the exit code. */
export async function stopService(service: Service, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (service.proc.exitCode !== null || service.proc.signalCode !== null) return service.proc.exitCode;
  service.proc.kill(signal);
  return service.exited;
}

export interface SippCall {
  number: string;
  /** The caller number (caller.xml's [$caller]); scenarios without it leave it out. */
  caller?: string;
  holdMs: number;
  calls?: number;
  rate?: number;
  /** Calls in progress at once; sipp's -l. */
  limit?: number;
  scenario?: string;
  /** More sipp arguments, e.g. ['-set', 'user', 'op001']. */
  extraArgs?: string[];
}

export interface SippRun {
  proc: ChildProcess;
  done: Promise<{ code: number | null; output: string }>;
  /** The caller's RTP port (what Asterisk sends it audio to); 0 for the trunk peer. */
  mediaPort: number;
}

let nextSipPort = 41000 + Math.floor(Math.random() * 1000) * 10;

/** Starts sipp as a caller (scripts/sipp/caller.xml by default); never targets anything but loopback. */
export function sipp(call: SippCall): SippRun {
  const port = nextSipPort;
  // Stay in 41000-51000: clear of Asterisk's RTP (10000-30000) and the softphones (30010-32700).
  nextSipPort = nextSipPort >= 50990 ? 41000 : nextSipPort + 10;
  const calls = call.calls ?? 1;
  const args = [
    '127.0.0.1:5060', '-i', '127.0.0.1', '-p', String(port), '-mp', String(port + 4),
    '-sf', join(REPO, 'scripts/sipp', call.scenario ?? 'caller.xml'),
    '-s', call.number, ...(call.caller ? ['-set', 'caller', call.caller] : []), '-d', String(call.holdMs),
    '-m', String(calls), '-r', String(call.rate ?? calls), '-l', String(call.limit ?? calls),
    '-nostdin', '-timeout', '120s', '-timeout_error', '-recv_timeout', '20000',
    ...(call.extraArgs ?? []),
  ];
  return { ...runSipp(args), mediaPort: port + 4 };
}

/** Starts a tracked sipp and collects its output for when it exits. */
function runSipp(args: string[], cwd?: string): Omit<SippRun, 'mediaPort'> {
  const proc = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd });
  track(proc);
  let output = '';
  proc.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
  proc.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
  const done = new Promise<{ code: number | null; output: string }>((resolveDone) => proc.on('exit', (code) => {
    children.delete(proc);
    resolveDone({ code, output });
  }));
  return { proc, done };
}

/**
 * The outside world behind the trunk (agencies, the overflow centre, citizens called back): a
 * sipp UAS on 127.0.0.1:5070 that answers every INVITE and waits for the BYE.
 */
export function trunkPeer(): SippRun {
  return { mediaPort: 0, ...runSipp(['-sn', 'uas', '-i', '127.0.0.1', '-p', '5070', '-mp', '5080', '-nostdin', '-trace_stat', '-fd', '1'],
    mkdtempSync(join(tmpdir(), 'siaga112-trunk-'))) };
}

/** A GET on ARI with the lab credentials: what Asterisk itself says. */
export async function ari<T>(path: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:8088/ari${path}`, {
    headers: { authorization: `Basic ${Buffer.from('siaga112:lab-ari-secret').toString('base64')}` },
  });
  return (await response.json()) as T;
}

/** sipp arguments for scripts/sipp/caller-dtmf.xml: press `key` `waitMs` after the answer. */
export function pressKey(key: string, waitMs: number): Pick<SippCall, 'scenario' | 'extraArgs'> {
  return { scenario: 'caller-dtmf.xml', extraArgs: ['-set', 'key', key, '-set', 'wait', String(waitMs)] };
}

/** sipp arguments for caller-dtmf2.xml: `key` after `waitMs`, then `key2` after `gapMs` more. */
export function pressKeys(key: string, waitMs: number, key2: string, gapMs: number): Pick<SippCall, 'scenario' | 'extraArgs'> {
  return { scenario: 'caller-dtmf2.xml', extraArgs: ['-set', 'key', key, '-set', 'wait', String(waitMs), '-set', 'key2', key2, '-set', 'gap', String(gapMs)] };
}

/** Successful and failed call counts from sipp's final statistics screen. */
export function sippCounts(output: string): { successful: number; failed: number } {
  const count = (label: string) => {
    const match = new RegExp(`${label}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`).exec(output);
    return match ? Number(match[1]) : -1;
  };
  return { successful: count('Successful call'), failed: count('Failed call') };
}

/** Kills every process these helpers started that is still running. */
export async function stopAll(): Promise<void> {
  const waits = [...children].map((child) => new Promise<void>((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveExit();
    child.once('exit', () => resolveExit());
    child.kill('SIGKILL');
  }));
  await Promise.all(waits);
}

let callerSequence = Math.floor(Math.random() * 100);

/**
 * A caller number unique to this run, so a test finds its own calls among the lab's records.
 * A counter, not a random digit: two callers made in the same millisecond (a test's "talking"
 * and "waiting") once got the same number one time in ten, and the test read the wrong call.
 */
export function uniqueCaller(): string {
  callerSequence = (callerSequence + 1) % 100;
  return `0812${String(Date.now()).slice(-7)}${String(callerSequence).padStart(2, '0')}`;
}
