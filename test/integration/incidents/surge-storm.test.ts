import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, operatorToken, TEST_SUPERVISOR_TOKEN, testApp } from '../../helpers/core.js';
import { bearer, pidfCircle } from '../../helpers/incidents.js';
import { waitFor } from '../../helpers/wait-for.js';

let h: ReturnType<typeof coreHarness>;
let app: Awaited<ReturnType<typeof testApp>>;
afterEach(async () => {
  await app?.close();
  h?.close();
});

const supervisor = bearer(TEST_SUPERVISOR_TOKEN);
/** The fire: a market in the city. Callers stand within about 150 m of it. */
const FIRE = { latitude: -6.2383, longitude: 106.9756 };

/** A deterministic scatter: call i stands up to ±0.0012° (≈130 m) from the fire, in a spiral. */
function near(i: number): { latitude: number; longitude: number } {
  const angle = i * 2.4;
  const r = 0.0004 + (i % 3) * 0.0004;
  return { latitude: +(FIRE.latitude + r * Math.sin(angle)).toFixed(6), longitude: +(FIRE.longitude + r * Math.cos(angle)).toFixed(6) };
}

/** A caller with a GNSS fix who chose "fire" in the IVR. */
async function locatedCall(number: string, point: { latitude: number; longitude: number }, category = 'fire'): Promise<string> {
  const channel = h.telephony.arrive({ callerNumber: number }, ['dialled=112'], pidfCircle(point.latitude, point.longitude, 20));
  const call = h.repo.findByChannelId(channel.id)!;
  h.repo.change(call.id, { category }, { type: 'enqueued', at: h.clock.now() });
  await waitFor(() => h.location.service.locationOf(call.id).fixes.length === 1, `the fix of ${number}`);
  return call.id;
}

async function start() {
  h = coreHarness({ surgeMinCalls: 10 });
  app = await testApp(h);
  await app.ready();
}

/** Ten callers about the fire over 90 s, a robbery reported nearby, and a medical call across the city. */
async function storm(): Promise<{ storming: string[]; crime: string }> {
  const ids: string[] = [];
  let crime = '';
  for (let i = 0; i < 10; i++) {
    ids.push(await locatedCall(`08125550${String(i).padStart(4, '0')}`, near(i)));
    if (i === 4) {
      await locatedCall('081300000001', { latitude: -6.35, longitude: 106.99 }, 'medical');
      crime = await locatedCall('081300000002', { latitude: -6.2392, longitude: 106.9766 }, 'crime');
    }
    await h.clock.advance(10_000);
  }
  return { storming: ids, crime };
}

describe('a storm of calls about one fire', () => {
  it('given ten located calls within two minutes, then one suggestion; accepting links all ten, the announcement carries the incident\'s tag, the eleventh joins, and switching it off ends the linking', async () => {
    await start();
    const { storming, crime } = await storm();
    h.surges.tick();
    h.surges.tick();
    const suggestions = (await app.inject({ method: 'GET', url: '/api/surges', headers: supervisor })).json().suggestions;
    expect(suggestions).toHaveLength(1);
    const [surge] = suggestions;
    expect(surge).toMatchObject({ kind: 'radius', category: 'fire' });
    // The robbery reported 150 m away counts toward the surge, but is not linked to the fire.
    expect([...surge.callIds].sort()).toEqual([...storming, crime].sort());
    expect(surge.proposedAnnouncement.id).toMatch(/kebakaran.*tekan 1\.$/);
    const suggested = h.surges.decisions();
    expect(suggested.map((d) => [d.decision, d.by])).toEqual([['suggested', 'system:surge-detection']]);

    const accepted = await app.inject({ method: 'POST', url: `/api/surges/${encodeURIComponent(surge.key)}/accept`, headers: supervisor, payload: { key: '3' } });
    expect(accepted.statusCode).toBe(201);
    const { incidentId, eventTag, linked } = accepted.json();
    expect([...linked].sort()).toEqual([...storming].sort());
    expect(h.incidents.incidentOfCall(crime)).toBeNull();
    expect(h.announcements.current()).toMatchObject({ eventTag, key: '3' });
    expect(h.announcements.current()!.texts.id).toMatch(/tekan 3\.$/);
    const incident = h.incidents.get(incidentId);
    expect(incident.state.fields).toMatchObject({ category: 'fire', severity: 'serious' });
    expect(incident.state.massCall).toEqual({ eventTag, active: true });
    expect(incident.calls.filter((c) => c.how === 'surge')).toHaveLength(9);
    expect(storming.filter((id) => h.dispositions.current(id) === 'duplicate')).toHaveLength(9);
    expect(h.surges.decisions().map((d) => [d.decision, d.by])).toEqual([['suggested', 'system:surge-detection'], ['accepted', 'supervisor:supervisor']]);
    expect((await app.inject({ method: 'GET', url: '/api/surges', headers: supervisor })).json().suggestions).toEqual([]);

    await h.clock.advance(20_000);
    const eleventh = await locatedCall('081255509999', near(11));
    const elsewhere = await locatedCall('081300000003', { latitude: -6.30, longitude: 107.02 });
    h.surges.tick();
    expect(h.incidents.incidentOfCall(eleventh)).toEqual({ incidentId, how: 'surge' });
    expect(h.incidents.incidentOfCall(elsewhere)).toBeNull();

    expect((await app.inject({ method: 'DELETE', url: '/api/admin/announcement', headers: supervisor })).statusCode).toBe(204);
    h.surges.tick();
    const late = await locatedCall('081255508888', near(12));
    h.surges.tick();
    expect(h.incidents.incidentOfCall(late)).toBeNull();
    expect(h.incidents.get(incidentId).state.massCall).toEqual({ eventTag, active: false });
    expect(h.surges.decisions().map((d) => d.decision)).toEqual(['suggested', 'accepted', 'ended']);
    console.info(`surge storm: ${storming.length} calls in ${(Date.parse(surge.lastAt) - Date.parse(surge.firstAt)) / 1000} s → 1 suggestion (${surge.kind}, ${surge.category}, ${surge.kecamatan}); accepted: ${linked.length} linked, the 11th linked by its location, announcement off → the next not linked`);
  });

  it('given a dismissed suggestion, then it is not offered again, and only supervisors see or decide surges', async () => {
    await start();
    await storm();
    const [surge] = (await app.inject({ method: 'GET', url: '/api/surges', headers: supervisor })).json().suggestions;
    const url = `/api/surges/${encodeURIComponent(surge.key)}`;
    expect((await app.inject({ method: 'GET', url: '/api/surges', headers: bearer(operatorToken('op001')) })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: `${url}/accept`, headers: bearer(operatorToken('op001')), payload: {} })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: `${url}/accept`, headers: supervisor, payload: { key: 'x' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: `${url}/dismiss`, headers: supervisor })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/surges', headers: supervisor })).json().suggestions).toEqual([]);
    const late = await app.inject({ method: 'POST', url: `${url}/accept`, headers: supervisor, payload: {} });
    expect(late.statusCode).toBe(404);
    expect(late.json().error).toBe('surge-not-found');
    expect(h.announcements.current()).toBeUndefined();
    expect(h.surges.decisions().map((d) => [d.decision, d.by])).toEqual([['dismissed', 'supervisor:supervisor']]);
  });

  it('given two supervisors accepting the same surge at once, then one incident and one announcement, and the other is refused', async () => {
    await start();
    const { storming } = await storm();
    const [surge] = h.surges.suggestions();
    const url = `/api/surges/${encodeURIComponent(surge!.key)}/accept`;
    const [a, b] = await Promise.all([0, 1].map(() => app.inject({ method: 'POST', url, headers: supervisor, payload: {} })));
    const statuses = [a!.statusCode, b!.statusCode].sort();
    expect(statuses[0]).toBe(201);
    expect([404, 409]).toContain(statuses[1]);
    const accepted = (a!.statusCode === 201 ? a : b)!.json();
    expect(h.announcements.current()).toMatchObject({ id: accepted.announcementId, eventTag: accepted.eventTag });
    expect(h.surges.decisions().filter((d) => d.decision === 'accepted')).toHaveLength(1);
    expect(h.incidents.get(accepted.incidentId).calls).toHaveLength(storming.length);
  });

  it('given nine calls, or ten spread over more than the window, then no surge is suggested', async () => {
    await start();
    for (let i = 0; i < 9; i++) await locatedCall(`0812000${i}`, near(i));
    h.surges.tick();
    expect(h.surges.suggestions()).toEqual([]);
    await h.clock.advance(121_000);
    await locatedCall('08120009', near(9));
    h.surges.tick();
    expect(h.surges.suggestions()).toEqual([]);
    expect(h.surges.decisions()).toEqual([]);
  });
});
