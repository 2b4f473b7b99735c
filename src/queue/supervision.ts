import { randomUUID } from 'node:crypto';
import { DomainError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Telephony, TelephonyEvent } from '../telephony/port.js';
import type { LegOwner } from '../telephony/leg-owner.js';
import type { ConnectedCalls } from './connected-calls.js';
import { callerIdOf, LEG_PREFIX } from './queued-call.js';

export const MonitorMode = { listen: 'listen', whisper: 'whisper', barge: 'barge' } as const;
export type MonitorMode = (typeof MonitorMode)[keyof typeof MonitorMode];

interface Monitor {
  callId: string;
  mode: MonitorMode;
  supervisorChannelId: string;
  snoopChannelId: string | null;
  bridgeId: string | null;
}

export interface MonitorStarted {
  callId: string;
  mode: MonitorMode;
  channelId: string;
}

/**
 * A supervisor joins a live call from their own phone. Listen and whisper go through an ARI
 * snoop channel on the operator's leg (spying on both directions; whispering into the
 * operator's ear only), bridged with the supervisor's phone; barge adds the supervisor to the
 * call's own bridge, heard by everyone.
 */
export class Supervision implements LegOwner {
  private readonly bySupervisorLeg = new Map<string, Monitor>();
  private readonly bySnoop = new Map<string, Monitor>();

  constructor(private readonly telephony: Telephony, private readonly connected: ConnectedCalls, private readonly log: Logger) {}

  start(): () => void {
    return this.telephony.onEvent((event) => this.onEvent(event));
  }

  async monitor(callId: string, supervisorEndpoint: string, mode: MonitorMode): Promise<MonitorStarted> {
    const live = this.connected.get(callId);
    if (!live?.operatorChannelId) throw new DomainError(409, 'call-not-live', `call ${callId} has no operator on the line`);
    const channelId = `${LEG_PREFIX}${randomUUID()}`;
    const monitor: Monitor = { callId, mode, supervisorChannelId: channelId, snoopChannelId: null, bridgeId: null };
    this.bySupervisorLeg.set(channelId, monitor);
    live.call.record.note('supervisor-dialled', { mode, endpoint: supervisorEndpoint, channelId });
    try {
      await this.telephony.originate({
        endpoint: `PJSIP/${supervisorEndpoint}`, channelId, timeoutSeconds: 30,
        callerId: callerIdOf(`${mode.toUpperCase()} ${live.call.callerNumber}`, live.call.callerNumber),
        appArgs: `leg=supervisor,call=${callId}`,
      });
    } catch (error) {
      this.bySupervisorLeg.delete(channelId);
      throw new DomainError(502, 'monitor-failed', `could not ring ${supervisorEndpoint}`, undefined, { cause: error });
    }
    return { callId, mode, channelId };
  }

  legs(): string[] {
    return [...this.bySupervisorLeg.keys(), ...this.bySnoop.keys()];
  }

  bridges(): string[] {
    return [...this.bySupervisorLeg.values()].flatMap((m) => (m.bridgeId?.startsWith('monitor-') ? [m.bridgeId] : []));
  }

  engaged(): Array<[string, 'ringing' | 'talking']> {
    return [];
  }

  channelGone(channelId: string): boolean {
    const monitor = this.bySupervisorLeg.get(channelId) ?? this.bySnoop.get(channelId);
    if (monitor) this.end(monitor);
    return monitor !== undefined;
  }

  private onEvent(event: TelephonyEvent): void {
    if (event.type === 'StasisStart') {
      const monitor = this.bySupervisorLeg.get(event.channel.id);
      if (monitor && monitor.snoopChannelId === null && monitor.bridgeId === null) void this.supervisorAnswered(monitor);
      const snooped = this.bySnoop.get(event.channel.id);
      if (snooped) void this.snoopReady(snooped);
      return;
    }
    if (event.type !== 'ChannelDestroyed' && event.type !== 'StasisEnd') return;
    // Either side going away ends the monitoring: the supervisor hung up, or the operator's leg
    // (and with it the snoop) is gone.
    const monitor = this.bySupervisorLeg.get(event.channelId) ?? this.bySnoop.get(event.channelId);
    if (monitor) this.end(monitor);
  }

  private async supervisorAnswered(monitor: Monitor): Promise<void> {
    const live = this.connected.get(monitor.callId);
    try {
      if (!live?.operatorChannelId) throw new Error('the call ended before the supervisor answered');
      if (monitor.mode === MonitorMode.barge) {
        monitor.bridgeId = live.bridgeId;
        await this.connected.addLeg(monitor.callId, monitor.supervisorChannelId);
        live.call.record.note('supervisor-joined', { mode: monitor.mode });
        return;
      }
      monitor.snoopChannelId = `${LEG_PREFIX}${randomUUID()}`;
      this.bySnoop.set(monitor.snoopChannelId, monitor);
      await this.telephony.snoop({
        channelId: live.operatorChannelId, snoopId: monitor.snoopChannelId, spy: 'both',
        whisper: monitor.mode === MonitorMode.whisper ? 'out' : 'none', appArgs: `leg=snoop,call=${monitor.callId}`,
      });
    } catch (error) {
      this.log.warn({ err: String(error), callId: monitor.callId }, 'supervisor could not join the call');
      this.end(monitor);
    }
  }

  private async snoopReady(monitor: Monitor): Promise<void> {
    const bridgeId = `monitor-${monitor.supervisorChannelId}`;
    monitor.bridgeId = bridgeId;
    try {
      await this.telephony.createBridge(bridgeId, 'mixing', `siaga112 ${monitor.mode} ${monitor.callId}`);
      await this.telephony.addToBridge(bridgeId, [monitor.snoopChannelId!, monitor.supervisorChannelId]);
      this.connected.get(monitor.callId)?.call.record.note('supervisor-joined', { mode: monitor.mode });
    } catch (error) {
      this.log.warn({ err: String(error), callId: monitor.callId }, 'could not bridge the supervisor with the snoop');
      this.end(monitor);
    }
  }

  private end(monitor: Monitor): void {
    if (!this.bySupervisorLeg.delete(monitor.supervisorChannelId)) return;
    if (monitor.snoopChannelId) this.bySnoop.delete(monitor.snoopChannelId);
    for (const channelId of [monitor.supervisorChannelId, monitor.snoopChannelId]) {
      if (channelId) void this.telephony.hangup(channelId).catch(() => undefined);
    }
    if (monitor.bridgeId?.startsWith('monitor-')) void this.telephony.destroyBridge(monitor.bridgeId).catch(() => undefined);
  }
}
