import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, operatorToken, testApp } from '../../helpers/core.js';
import { waitFor } from '../../helpers/wait-for.js';
import { connectedCall } from '../../helpers/queue.js';

let h: ReturnType<typeof coreHarness>;
afterEach(() => h?.close());

const asOp = (id: string) => ({ authorization: `Bearer ${operatorToken(id)}` });


describe('transfer to an agency', () => {
  it('given a call, when the operator conferences Damkar, then the agency is dialled through the trunk and joins the same bridge', async () => {
    h = coreHarness({ queue: true });
    const app = await testApp(h);
    const { callId, callerChannel, operatorLeg } = await connectedCall(h, 'op001', '0812555');
    const response = await app.inject({ method: 'POST', url: '/api/operator/transfer', headers: asOp('op001'), payload: { agency: 'damkar' } });
    expect(response.statusCode).toBe(202);
    const { channelId } = response.json();
    expect(response.json()).toMatchObject({ callId, agency: 'damkar', number: '113' });
    expect(h.telephony.ringing.get(channelId)).toMatchObject({ endpoint: 'PJSIP/113@trunk', callerId: '"112 OTHER" <0812555>' });
    h.telephony.answerOriginated(channelId);
    await waitFor(() => h.telephony.bridges.get(`call-${callId}`)?.channels.size === 3, 'three parties');
    expect([...h.telephony.bridges.get(`call-${callId}`)!.channels].sort()).toEqual([callerChannel, operatorLeg, channelId].sort());
    expect(h.repo.events(callId).map((e) => e.type)).toEqual(expect.arrayContaining(['transfer-started', 'agency-joined']));
    expect(h.parts.board.get('op001')!.state).toBe('busy');
    await app.close();
  });

  it('given a hand-over, then the operator leaves for wrap-up while caller and agency keep talking, and the call ends when the agency hangs up', async () => {
    h = coreHarness({ queue: true, wrapupMs: 10_000 });
    const app = await testApp(h);
    const { callId, callerChannel, operatorLeg } = await connectedCall(h, 'op001', '0812555');
    const { channelId } = (await app.inject({ method: 'POST', url: '/api/operator/transfer', headers: asOp('op001'), payload: { agency: 'dinkes', stay: false } })).json();
    h.telephony.answerOriginated(channelId);
    await waitFor(() => h.telephony.commands.some((c) => c.op === 'hangup' && c.channelId === operatorLeg), 'operator leg hung up');
    expect([...h.telephony.bridges.get(`call-${callId}`)!.channels].sort()).toEqual([callerChannel, channelId].sort());
    expect(h.parts.board.get('op001')!.state).toBe('wrapup');
    await h.clock.advance(10_000);
    await waitFor(() => h.parts.board.get('op001')!.state === 'available', 'op001 free after wrap-up');
    expect(h.repo.findById(callId)!.state).toBe('connected');
    h.telephony.legHangsUp(channelId);
    await waitFor(() => h.repo.findById(callId)!.state === 'ended', 'call ended');
    expect(h.repo.findById(callId)!.endReason).toBe('operator-hangup');
    expect(h.telephony.commands).toContainEqual({ op: 'hangup', channelId: callerChannel });
    await app.close();
  });

  it('given no call, or an unknown agency, then the transfer is refused and nothing is dialled', async () => {
    h = coreHarness({ queue: true });
    const app = await testApp(h);
    h.parts.operators.login('op002');
    const idle = await app.inject({ method: 'POST', url: '/api/operator/transfer', headers: asOp('op002'), payload: { agency: 'damkar' } });
    expect(idle.statusCode).toBe(409);
    expect(idle.json().error).toBe('no-call');
    h.parts.operators.logout('op002');
    await connectedCall(h, 'op001', '0812555');
    const unknown = await app.inject({ method: 'POST', url: '/api/operator/transfer', headers: asOp('op001'), payload: { agency: 'pemadam' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/no number for agency pemadam; agencies with a number: bpbd, dinkes, damkar, satpol-pp, polisi/);
    expect(h.telephony.commands.filter((c) => c.op === 'originate' && c.endpoint.includes('trunk'))).toEqual([]);
    await app.close();
  });
});
