import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, TEST_SUPERVISOR_TOKEN, testApp } from '../../helpers/core.js';
import { waitFor } from '../../helpers/wait-for.js';
import { connectedCall } from '../../helpers/queue.js';

let h: ReturnType<typeof coreHarness>;
afterEach(() => h?.close());

const supervisor = { authorization: `Bearer ${TEST_SUPERVISOR_TOKEN}` };


describe('supervisor listen, whisper and barge', () => {
  for (const [mode, whisper] of [['listen', 'none'], ['whisper', 'out']] as const) {
    it(`given a live call, when a supervisor asks to ${mode}, then their phone rings and is bridged with a snoop on the operator's leg (whisper ${whisper})`, async () => {
      h = coreHarness({ queue: true });
      const app = await testApp(h);
      const { callId, operatorLeg } = await connectedCall(h, 'op001', '0812777');
      const response = await app.inject({ method: 'POST', url: `/api/supervisor/calls/${callId}/monitor`, headers: supervisor, payload: { endpoint: 'sup001', mode } });
      expect(response.statusCode).toBe(202);
      const supLeg = response.json().channelId as string;
      expect(h.telephony.ringing.get(supLeg)?.endpoint).toBe('PJSIP/sup001');
      h.telephony.answerOriginated(supLeg);
      const snoop = await waitFor(() => h.telephony.commands.find((c) => c.op === 'snoop'), 'snoop');
      expect(snoop).toMatchObject({ channelId: operatorLeg, spy: 'both', whisper });
      await waitFor(() => h.telephony.bridges.get(`monitor-${supLeg}`)?.channels.size === 2, 'monitor bridge');
      expect(h.telephony.bridges.get(`call-${callId}`)!.channels.size).toBe(2);
      h.telephony.legHangsUp(supLeg);
      await waitFor(() => !h.telephony.bridges.has(`monitor-${supLeg}`), 'monitor bridge gone');
      await app.close();
    });
  }

  it('given a supervisor listening, when the call ends and Asterisk says only that the snoop left the app (no ChannelDestroyed), then the supervisor\'s phone is hung up and the monitor bridge destroyed', async () => {
    h = coreHarness({ queue: true });
    const app = await testApp(h);
    const { callId, callerChannel } = await connectedCall(h, 'op001', '0812778');
    const supLeg = (await app.inject({ method: 'POST', url: `/api/supervisor/calls/${callId}/monitor`, headers: supervisor, payload: { endpoint: 'sup001', mode: 'listen' } })).json().channelId as string;
    h.telephony.answerOriginated(supLeg);
    const snoop = await waitFor(() => h.telephony.commands.find((c) => c.op === 'snoop'), 'snoop');
    await waitFor(() => h.telephony.bridges.get(`monitor-${supLeg}`)?.channels.size === 2, 'monitor bridge');
    h.telephony.callerHangsUp(callerChannel);
    h.telephony.emit({ type: 'StasisEnd', channelId: (snoop as { snoopId: string }).snoopId, timestamp: new Date(h.clock.now()).toISOString() });
    await waitFor(() => h.telephony.commandsFor(supLeg).includes('hangup'), 'supervisor hung up');
    await waitFor(() => !h.telephony.bridges.has(`monitor-${supLeg}`), 'monitor bridge gone');
    await app.close();
  });

  it('given a barging supervisor whose ChannelDestroyed never comes after the operator left, when their leg leaves the app, then after two seconds it counts as gone and the call ends with its last party', async () => {
    h = coreHarness({ queue: true });
    const app = await testApp(h);
    const { callId, operatorLeg } = await connectedCall(h, 'op001', '0812779');
    const supLeg = (await app.inject({ method: 'POST', url: `/api/supervisor/calls/${callId}/monitor`, headers: supervisor, payload: { endpoint: 'sup002', mode: 'barge' } })).json().channelId as string;
    h.telephony.answerOriginated(supLeg);
    await waitFor(() => h.telephony.bridges.get(`call-${callId}`)?.channels.size === 3, 'three in the call');
    h.telephony.legHangsUp(operatorLeg);
    await waitFor(() => h.parts.board.get('op001')?.state === 'wrapup', 'op001 wrapping up');
    h.telephony.emit({ type: 'StasisEnd', channelId: supLeg, timestamp: new Date(h.clock.now()).toISOString() });
    await h.clock.advance(1_999);
    expect(h.repo.findById(callId)!.state).toBe('connected');
    await h.clock.advance(1);
    await waitFor(() => h.repo.findById(callId)!.endReason === 'operator-hangup', 'call ended with its last party');
    await app.close();
  });

  it('given a live call, when a supervisor barges, then their phone joins the call bridge and the call goes on when they leave', async () => {
    h = coreHarness({ queue: true });
    const app = await testApp(h);
    const { callId } = await connectedCall(h, 'op001', '0812777');
    const supLeg = (await app.inject({ method: 'POST', url: `/api/supervisor/calls/${callId}/monitor`, headers: supervisor, payload: { endpoint: 'sup002', mode: 'barge' } })).json().channelId as string;
    h.telephony.answerOriginated(supLeg);
    await waitFor(() => h.telephony.bridges.get(`call-${callId}`)?.channels.size === 3, 'three in the call');
    h.telephony.legHangsUp(supLeg);
    await waitFor(() => h.telephony.bridges.get(`call-${callId}`)?.channels.size === 2, 'supervisor left');
    expect(h.repo.findById(callId)!.state).toBe('connected');
    await app.close();
  });

  it('given no live call or a bad phone name, then monitoring is refused and no phone rings', async () => {
    h = coreHarness({ queue: true });
    const app = await testApp(h);
    const notLive = await app.inject({ method: 'POST', url: '/api/supervisor/calls/6f1c2b9e-0000-4000-8000-000000000001/monitor', headers: supervisor, payload: { endpoint: 'sup001', mode: 'listen' } });
    expect(notLive.statusCode).toBe(409);
    const badPhone = await app.inject({ method: 'POST', url: '/api/supervisor/calls/6f1c2b9e-0000-4000-8000-000000000001/monitor', headers: supervisor, payload: { endpoint: 'op001', mode: 'listen' } });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json().message).toMatch(/body\.endpoint/);
    expect(h.telephony.commands.filter((c) => c.op === 'originate')).toEqual([]);
    await app.close();
  });
});
