import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, operatorToken, TEST_ADMIN_TOKEN, testApp } from '../../helpers/core.js';
import { fakeAgency } from '../../helpers/fake-agency.js';
import { bearer, handledCall } from '../../helpers/incidents.js';
import { waitFor } from '../../helpers/wait-for.js';

let h: ReturnType<typeof coreHarness>;
let app: Awaited<ReturnType<typeof testApp>>;
let agency: Awaited<ReturnType<typeof fakeAgency>>;
let other: Database.Database | undefined;
afterEach(async () => {
  other?.close();
  other = undefined;
  await app?.close();
  h?.close();
  await agency?.close();
});

describe('the outbox when its result cannot be written', () => {
  it('given the database locked while the agency accepts a webhook, then it is not resent in a loop: once more at the next poll after the lock is gone, and the receiver keeps one', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'siaga112-outbox-lock-')), 'siaga112.db');
    let release = (): void => undefined;
    // The agency accepts, and by then another process holds the write lock: the 2xx cannot be noted.
    agency = await fakeAgency((n) => {
      if (n === 1) {
        other = new Database(dbPath);
        other.exec('BEGIN IMMEDIATE');
        release = () => other!.exec('ROLLBACK');
      }
      return { status: 200 };
    });
    h = coreHarness({ dbPath });
    app = await testApp(h);
    await app.ready();
    expect((await app.inject({ method: 'PATCH', url: '/api/admin/agencies/damkar', headers: bearer(TEST_ADMIN_TOKEN), payload: { webhookUrl: agency.url } })).statusCode).toBe(200);
    const call = await handledCall(h, 'op001', '081255500011');
    const op001 = bearer(operatorToken('op001'));
    const incident = (await app.inject({ method: 'POST', url: '/api/incidents', headers: op001, payload: { callId: call.callId, category: 'fire', description: 'Gudang terbakar' } })).json();
    expect((await app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/dispatches`, headers: op001, payload: {} })).statusCode).toBe(201);
    await waitFor(() => agency.received.length === 1, 'the first delivery');
    // Real time passes (the write waits for the lock briefly, then gives up): no second request meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(agency.received).toHaveLength(1);
    release();
    await h.clock.advance(1000);
    const delivered = () => (h.database.sqlite.prepare('SELECT delivered_at AS at FROM webhook_outbox').get() as { at: number | null }).at;
    await waitFor(() => delivered() !== null, 'delivered on the next poll');
    expect(agency.received).toHaveLength(2);
    expect(agency.events()).toHaveLength(1);
  });
});
