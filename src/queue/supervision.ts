import { DomainError } from '../errors.js';
import type { Dialer } from '../legs/dialer.js';
import type { Leg } from '../legs/leg.js';
import type { Logger } from '../log.js';
import type { Telephony } from '../telephony/port.js';
import type { BridgeOwner } from '../telephony/leg-owner.js';
import type { ConnectedCalls } from './connected-calls.js';
import { MonitorMode } from './monitor-mode.js';
import { callerIdOf } from './queued-call.js';

interface Monitor {
  callId: string;
  mode: MonitorMode;
  supervisor: Leg;
  snoop: Leg | null;
  bridgeId: string | null;
}

export interface MonitorStarted {
  callId: string;
  mode: MonitorMode;
  channelId: string;
}

/** How long a supervisor's phone may ring. */
const SUPERVISOR_RING_MS = 30_000;

/**
 * A supervisor joins a live call from their own phone. Listen and whisper go through an ARI
 * snoop channel on the operator's leg (spying on both directions; whispering into the
 * operator's ear only), bridged with the supervisor's phone; barge adds the supervisor to the
 * call's own bridge, heard by everyone. Either side going away ends the monitoring: the
 * supervisor hung up, or the operator's leg (and with it the snoop) is gone.
 */
export class Supervision implements BridgeOwner {
  private readonly monitors = new Set<Monitor>();

  constructor(
    private readonly telephony: Telephony,
    private readonly dialer: Dialer,
    private readonly connected: ConnectedCalls,
    private readonly log: Logger,
  ) {}

  async monitor(callId: string, supervisorEndpoint: string, mode: MonitorMode): Promise<MonitorStarted> {
    const live = this.connected.get(callId);
    if (!live?.operatorChannelId) throw new DomainError(409, 'call-not-live', `call ${callId} has no operator on the line`);
    const supervisor = this.dialer.dial({
      kind: 'supervisor', callId, endpoint: `PJSIP/${supervisorEndpoint}`, ringMs: SUPERVISOR_RING_MS,
      callerId: callerIdOf(`${mode.toUpperCase()} ${live.call.callerNumber}`, live.call.callerNumber),
    });
    const monitor: Monitor = { callId, mode, supervisor, snoop: null, bridgeId: null };
    this.monitors.add(monitor);
    supervisor.onAnswered(() => void this.supervisorAnswered(monitor)).onEnded(() => this.end(monitor));
    live.call.record.note('supervisor-dialled', { mode, endpoint: supervisorEndpoint, channelId: supervisor.channelId });
    try {
      await supervisor.placed;
    } catch (error) {
      throw new DomainError(502, 'monitor-failed', `could not ring ${supervisorEndpoint}`, undefined, { cause: error });
    }
    return { callId, mode, channelId: supervisor.channelId };
  }

  bridges(): string[] {
    return [...this.monitors].flatMap((m) => (m.bridgeId?.startsWith('monitor-') ? [m.bridgeId] : []));
  }

  private async supervisorAnswered(monitor: Monitor): Promise<void> {
    const live = this.connected.get(monitor.callId);
    try {
      if (!live?.operatorChannelId) throw new Error('the call ended before the supervisor answered');
      if (monitor.mode === MonitorMode.barge) {
        monitor.bridgeId = live.bridgeId;
        await this.connected.addLeg(monitor.callId, monitor.supervisor);
        live.call.record.note('supervisor-joined', { mode: monitor.mode });
        return;
      }
      monitor.snoop = this.dialer.snoop({
        callId: monitor.callId, spiedChannelId: live.operatorChannelId, spy: 'both',
        whisper: monitor.mode === MonitorMode.whisper ? 'out' : 'none',
      });
      monitor.snoop.onAnswered(() => void this.snoopReady(monitor)).onEnded(() => this.end(monitor));
      await monitor.snoop.placed;
    } catch (error) {
      this.log.warn({ err: String(error), callId: monitor.callId }, 'supervisor could not join the call');
      this.end(monitor);
    }
  }

  private async snoopReady(monitor: Monitor): Promise<void> {
    const bridgeId = `monitor-${monitor.supervisor.channelId}`;
    monitor.bridgeId = bridgeId;
    try {
      await this.telephony.createBridge(bridgeId, 'mixing', `siaga112 ${monitor.mode} ${monitor.callId}`);
      await this.telephony.addToBridge(bridgeId, [monitor.snoop!.channelId, monitor.supervisor.channelId]);
      this.connected.get(monitor.callId)?.call.record.note('supervisor-joined', { mode: monitor.mode });
    } catch (error) {
      this.log.warn({ err: String(error), callId: monitor.callId }, 'could not bridge the supervisor with the snoop');
      this.end(monitor);
    }
  }

  private end(monitor: Monitor): void {
    if (!this.monitors.delete(monitor)) return;
    monitor.supervisor.hangUp();
    monitor.snoop?.hangUp();
    if (monitor.bridgeId?.startsWith('monitor-')) void this.telephony.destroyBridge(monitor.bridgeId).catch(() => undefined);
  }
}
