import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AmiClient } from '../../../src/ami/ami-client.js';
import { ContactPresence } from '../../../src/ami/contact-presence.js';
import { fakeAmi } from '../../helpers/fake-ami.js';
import { waitFor } from '../../helpers/wait-for.js';
import { VirtualClock } from '../../fakes/virtual-clock.js';

let server: Awaited<ReturnType<typeof fakeAmi>> | undefined;
let client: AmiClient | undefined;
/** The client's timeouts and reconnect backoff; the sockets are real. */
let clock: VirtualClock;
afterEach(async () => {
  client?.stop();
  await server?.close();
});

function connect(port: number, password: string, lines: string[] = []) {
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  clock = new VirtualClock();
  client = new AmiClient({ host: '127.0.0.1', port, user: 'siaga112', password, timeoutMs: 200, log, clock });
  client.start();
  return client;
}

describe('AMI containment', () => {
  it('given a wrong secret, then the client reports one clear error and stays down (the library alone is silent)', async () => {
    server = await fakeAmi('right', () => []);
    const lines: string[] = [];
    const ami = connect(server.port, 'wrong', lines);
    const line = await waitFor(() => lines.find((l) => l.includes('AMI rejected user')), 'login error');
    expect(JSON.parse(line)).toMatchObject({ level: 50, msg: 'AMI rejected user "siaga112": check SIAGA112_AMI_USER and SIAGA112_AMI_PASSWORD' });
    expect(ami.isUp).toBe(false);
    expect(lines.join('\n')).not.toContain('wrong');
  });

  it('given a list action, then its events are collected until EventList Complete', async () => {
    server = await fakeAmi('right', (action): Array<Record<string, string>> => [
      { Response: 'Success', ActionID: action.actionid!, EventList: 'start', Message: 'following' },
      // As Asterisk 22 sends them: the AOR only inside ObjectName.
      { Event: 'ContactList', ActionID: action.actionid!, ObjectType: 'contact', ObjectName: 'op001;@2fb2b0f4', Endpoint: 'op001', Status: 'Reachable', Uri: 'sip:op001@127.0.0.1:5070' },
      { Event: 'ContactList', ActionID: action.actionid!, ObjectType: 'contact', ObjectName: 'op002;@9a1c7e02', Endpoint: 'op002', Status: 'Unreachable', Uri: 'sip:op002@127.0.0.1:5072' },
      { Event: 'ContactListComplete', ActionID: action.actionid!, EventList: 'Complete', ListItems: '2' },
    ]);
    const ami = connect(server.port, 'right');
    await waitFor(() => ami.isUp, 'login');
    const items = await ami.list({ action: 'PJSIPShowContacts' });
    expect(items.map((i) => [i.objectname, i.status])).toEqual([['op001;@2fb2b0f4', 'Reachable'], ['op002;@9a1c7e02', 'Unreachable']]);
    const presence = new ContactPresence(ami, pino({ level: 'silent' }));
    await presence.refresh();
    expect(presence.list().map((c) => [c.aor, c.status])).toEqual([['op001', 'Reachable'], ['op002', 'Unreachable']]);
  });

  it('given an error answer to a list action, then it rejects once and leaves no rejection behind after its timeout', async () => {
    server = await fakeAmi('right', (action) => [{ Response: 'Error', ActionID: action.actionid!, Message: 'No Contacts found' }]);
    const ami = connect(server.port, 'right');
    await waitFor(() => ami.isUp, 'login');
    await expect(ami.list({ action: 'PJSIPShowContacts' })).rejects.toThrow('AMI action PJSIPShowContacts failed: No Contacts found');
    // Past the 200 ms list timeout: an unobserved rejection here would fail this test run.
    await clock.advance(400);
  });

  it('given contact status events, then presence follows them and an empty list clears it', async () => {
    server = await fakeAmi('right', (action) => [{ Response: 'Error', ActionID: action.actionid!, Message: 'No Contacts found' }]);
    const ami = connect(server.port, 'right');
    const presence = new ContactPresence(ami, pino({ level: 'silent' }));
    await waitFor(() => ami.isUp, 'login');
    ami.emit('event', { event: 'ContactStatus', aor: 'op001', contactstatus: 'Reachable', uri: 'sip:op001@127.0.0.1:5070' });
    expect(presence.isReachable('op001')).toBe(true);
    ami.emit('event', { event: 'ContactStatus', aor: 'op001', contactstatus: 'Unreachable', uri: 'sip:op001@127.0.0.1:5070' });
    expect(presence.isReachable('op001')).toBe(false);
    ami.emit('event', { event: 'ContactStatus', aor: 'op001', contactstatus: 'Removed', uri: '' });
    expect(presence.list()).toEqual([]);
  });

  it('given a softphone that restarts on a new port, when Asterisk removes the old contact after the new one is up, then the operator stays reachable', async () => {
    server = await fakeAmi('right', (action) => [{ Response: 'Error', ActionID: action.actionid!, Message: 'No Contacts found' }]);
    const ami = connect(server.port, 'right');
    const presence = new ContactPresence(ami, pino({ level: 'silent' }));
    await waitFor(() => ami.isUp, 'login');
    ami.emit('event', { event: 'ContactStatus', aor: 'op001', contactstatus: 'Reachable', uri: 'sip:op001@127.0.0.1:5070' });
    ami.emit('event', { event: 'ContactStatus', aor: 'op001', contactstatus: 'Created', uri: 'sip:op001@127.0.0.1:5080' });
    ami.emit('event', { event: 'ContactStatus', aor: 'op001', contactstatus: 'Reachable', uri: 'sip:op001@127.0.0.1:5080' });
    ami.emit('event', { event: 'ContactStatus', aor: 'op001', contactstatus: 'Removed', uri: 'sip:op001@127.0.0.1:5070' });
    expect(presence.isReachable('op001')).toBe(true);
    expect(presence.list().map((c) => c.uri)).toEqual(['sip:op001@127.0.0.1:5080']);
  });

  it('given the AMI server goes away and comes back, then the client logs in again by itself', async () => {
    server = await fakeAmi('right', () => []);
    const { port } = server;
    const ami = connect(port, 'right');
    await waitFor(() => ami.isUp, 'login');
    const down = new Promise((resolve) => ami.once('down', resolve));
    await server.close();
    await down;
    expect(ami.isUp).toBe(false);
    // Same port again, as when Asterisk restarts.
    server = await fakeAmi('right', () => [], port);
    // The first reconnect waits 500 ms.
    await clock.advance(500);
    await waitFor(() => ami.isUp, 'logged in again');
  });
});
