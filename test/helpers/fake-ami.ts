import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

type Fields = Record<string, string>;

/**
 * A minimal AMI server on 127.0.0.1: greets like Asterisk, accepts one user/secret, and answers
 * other actions with `respond` (a list of messages to write, each a field map).
 */
export async function fakeAmi(secret: string, respond: (action: Fields) => Fields[], port = 0) {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.write('Asterisk Call Manager/9.0.0\r\n');
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let end: number;
      while ((end = buffer.indexOf('\r\n\r\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 4);
        const action: Fields = {};
        for (const line of block.split('\r\n')) {
          const at = line.indexOf(': ');
          if (at > 0) action[line.slice(0, at).toLowerCase()] = line.slice(at + 2);
        }
        const replies = action.action?.toLowerCase() === 'login'
          ? [action.secret === secret
            ? { Response: 'Success', ActionID: action.actionid ?? '', Message: 'Authentication accepted' }
            : { Response: 'Error', ActionID: action.actionid ?? '', Message: 'Authentication failed' }]
          : respond(action);
        for (const reply of replies) {
          socket.write(`${Object.entries(reply).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
