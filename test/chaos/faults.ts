import { spawn } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import Database from 'better-sqlite3';
import { track } from '../e2e/lab.js';

export const FAULTS = ['kill-siaga112', 'kill-guardian', 'restart-asterisk', 'cut-ari', 'lock-database', 'kill-softphone'] as const;
export type Fault = (typeof FAULTS)[number];

/**
 * A TCP proxy in front of Asterisk's HTTP port (ARI REST and its WebSocket): `cut()` drops every
 * connection through it at once, as a network fault would, while Asterisk stays up.
 */
export async function ariProxy(target = 8088): Promise<{ port: number; cut: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    cut: () => {
      const count = sockets.size;
      for (const socket of sockets) socket.destroy();
      return count;
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Another process's connection holding the database's write lock; the returned function releases it. */
export function lockDatabase(path: string): () => void {
  const locker = new Database(path);
  locker.exec('BEGIN IMMEDIATE');
  return () => {
    locker.exec('ROLLBACK');
    locker.close();
  };
}

/**
 * tcpdump on lo, writing the RTP Asterisk sends to sipp callers (their media ports) to a pcap
 * file; resolves once it listens. Stopped by pid with the rest (track) and by `stop()`.
 */
export async function captureCallerAudio(path: string): Promise<{ stop: () => Promise<void> }> {
  const proc = spawn('tcpdump', ['-i', 'lo', '-n', '-U', '-s', '64', '-w', path, 'udp and src portrange 10000-30000 and dst portrange 41000-51999'], { stdio: ['ignore', 'ignore', 'pipe'] });
  track(proc);
  await new Promise<void>((resolve, reject) => {
    let text = '';
    proc.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('listening on')) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`tcpdump exited ${code}: ${text}`)));
  });
  return {
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    }),
  };
}
