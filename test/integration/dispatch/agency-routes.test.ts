import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, operatorToken, TEST_ADMIN_TOKEN, TEST_API_TOKEN, testApp } from '../../helpers/core.js';
import { bearer, handledCall } from '../../helpers/incidents.js';

let h: ReturnType<typeof coreHarness>;
let app: Awaited<ReturnType<typeof testApp>>;
afterEach(async () => {
  await app?.close();
  h?.close();
});

const admin = bearer(TEST_ADMIN_TOKEN);

async function start(options: Parameters<typeof coreHarness>[0] = {}) {
  h = coreHarness(options);
  app = await testApp(h);
  await app.ready();
}

describe('agencies as data', () => {
  it('given a new database, then the five agencies are there with their numbers and what they serve, and nobody sees a signing key', async () => {
    await start();
    const listed = await app.inject({ method: 'GET', url: '/api/agencies', headers: bearer(operatorToken('op001')) });
    expect(listed.statusCode).toBe(200);
    const agencies: Array<{ id: string; numbers: string[]; hasSigningKey: boolean }> = listed.json().agencies;
    expect(agencies.map((a) => [a.id, a.numbers[0]])).toEqual([['bpbd', '0218801234'], ['dinkes', '118'], ['damkar', '113'], ['satpol-pp', '0218805678'], ['polisi', '110']]);
    expect(agencies.every((a) => a.hasSigningKey === false)).toBe(true);
    expect(JSON.stringify(listed.json())).not.toMatch(/"signingKey"|sealed/i);
  });

  it('given an admin adds a webhook, then its signing key is shown that once, stored sealed, and a rotation replaces it', async () => {
    await start();
    const set = await app.inject({ method: 'PATCH', url: '/api/admin/agencies/damkar', headers: admin, payload: { webhookUrl: 'https://damkar.bekasikota.go.id/siaga112' } });
    expect(set.statusCode).toBe(200);
    const key: string = set.json().signingKey;
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(set.json().agency).toMatchObject({ id: 'damkar', hasSigningKey: true, webhookUrl: 'https://damkar.bekasikota.go.id/siaga112', updatedBy: 'admin:admin' });
    const stored = h.database.sqlite.prepare('SELECT signing_key_sealed AS sealed FROM agencies WHERE id = ?').get('damkar') as { sealed: string };
    expect(stored.sealed).not.toContain(key);
    expect(h.agencies.signingKeyOf('damkar')).toBe(key);
    const renamed = await app.inject({ method: 'PATCH', url: '/api/admin/agencies/damkar', headers: admin, payload: { name: 'Damkar Kota Bekasi' } });
    expect(renamed.json().signingKey).toBeUndefined();
    const rotated = await app.inject({ method: 'POST', url: '/api/admin/agencies/damkar/signing-key', headers: admin });
    expect(rotated.statusCode).toBe(201);
    expect(rotated.json().signingKey).not.toBe(key);
    expect(h.agencies.signingKeyOf('damkar')).toBe(rotated.json().signingKey);
  });

  it('given a new agency, then it is listed after the five and can be proposed; the same id again is 409', async () => {
    await start();
    const body = { id: 'basarnas', name: 'Basarnas', numbers: ['115'], serves: [{ category: 'disaster', subcategory: 'small-landslide' }] };
    const created = await app.inject({ method: 'POST', url: '/api/admin/agencies', headers: admin, payload: body });
    expect(created.statusCode).toBe(201);
    expect(created.json().signingKey).toBeUndefined();
    expect(h.agencies.list().map((a) => a.id).at(-1)).toBe('basarnas');
    expect(h.agencies.propose({ category: 'disaster', subcategory: 'small-landslide', peopleHurt: false })).toContain('basarnas');
    expect(h.agencies.numberOf('basarnas')).toBe('115');
    const again = await app.inject({ method: 'POST', url: '/api/admin/agencies', headers: admin, payload: body });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toBe('agency-exists');
  });

  it('given refused agency edits, then each gets its status and error and the agencies are as they were', async () => {
    await start();
    const before = JSON.stringify(h.agencies.list());
    const cases: Array<[string, string, Record<string, string>, unknown, number, string | null]> = [
      ['PATCH', '/api/admin/agencies/damkar', admin, { serves: [] }, 409, 'routing-incomplete'],
      ['PATCH', '/api/admin/agencies/damkar', admin, { webhookUrl: 'http://damkar.example.net/hook' }, 400, null],
      ['PATCH', '/api/admin/agencies/damkar', admin, { webhookUrl: 'https://user:pw@damkar.example.net/hook' }, 400, null],
      ['PATCH', '/api/admin/agencies/damkar', admin, { webhookUrl: 'ftp://damkar.example.net/hook' }, 400, null],
      ['PATCH', '/api/admin/agencies/damkar', admin, { webhookUrl: 'not a url' }, 400, null],
      ['PATCH', '/api/admin/agencies/damkar', admin, { webhookUrl: '' }, 400, null],
      ['PATCH', '/api/admin/agencies/damkar', admin, { webhookUrl: 'http://127.0.0.1.evil.example/hook' }, 400, null],
      ['PATCH', '/api/admin/agencies/damkar', admin, {}, 400, null],
      ['PATCH', '/api/admin/agencies/damkar', admin, { numbers: ['one-one-three'] }, 400, null],
      ['PATCH', '/api/admin/agencies/damkar', admin, { serves: [{ category: 'volcano' }] }, 400, null],
      ['PATCH', '/api/admin/agencies/pemadam', admin, { name: 'Pemadam' }, 404, 'agency-not-found'],
      ['PATCH', '/api/admin/agencies/damkar', bearer(TEST_API_TOKEN), { name: 'x' }, 403, 'forbidden'],
      ['PATCH', '/api/admin/agencies/damkar', {}, { name: 'x' }, 401, 'unauthorized'],
      ['POST', '/api/admin/agencies', admin, { id: 'PMI Bekasi', name: 'PMI' }, 400, null],
      ['POST', '/api/admin/agencies/pemadam/tokens', admin, undefined, 404, 'agency-not-found'],
      ['POST', '/api/admin/agencies/damkar/tokens', bearer(operatorToken('op001')), undefined, 403, 'forbidden'],
      ['GET', '/api/agencies', {}, undefined, 401, 'unauthorized'],
    ];
    for (const [method, url, headers, payload, status, error] of cases) {
      const response = await app.inject({ method: method as 'POST', url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
      expect({ method, url, payload, status: response.statusCode }).toEqual({ method, url, payload, status });
      if (error) expect(response.json().error).toBe(error);
    }
    expect(JSON.stringify(h.agencies.list())).toBe(before);
  });

  it('given no SIAGA112_SECRETS_KEY, then a webhook cannot be set (503, nothing changes) while the rest of an agency can', async () => {
    await start({ secretsKey: null });
    const refused = await app.inject({ method: 'PATCH', url: '/api/admin/agencies/damkar', headers: admin, payload: { webhookUrl: 'https://damkar.example.net/hook' } });
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error).toBe('secrets-key-missing');
    expect(h.agencies.get('damkar').webhookUrl).toBeNull();
    expect((await app.inject({ method: 'PATCH', url: '/api/admin/agencies/damkar', headers: admin, payload: { numbers: ['113', '0218800113'] } })).statusCode).toBe(200);
    expect(h.agencies.numberOf('damkar')).toBe('113');
  });
});

describe('agency tokens', () => {
  it('given tokens for Damkar and Polisi, then each agency reads and moves only its own dispatches; a revoked token is 401', async () => {
    await start();
    const issue = async (agency: string) => {
      const response = await app.inject({ method: 'POST', url: `/api/admin/agencies/${agency}/tokens`, headers: admin });
      expect(response.statusCode).toBe(201);
      return bearer(response.json().token);
    };
    const damkar = await issue('damkar');
    const polisi = await issue('polisi');
    const call = await handledCall(h, 'op001', '081255500011');
    const incident = (await app.inject({
      method: 'POST', url: '/api/incidents', headers: bearer(operatorToken('op001')),
      payload: { callId: call.callId, category: 'traffic', description: 'Tabrakan motor di Jl. Ahmad Yani', peopleHurt: true, agencies: ['damkar', 'polisi'] },
    })).json();
    const dispatches: Array<{ id: string; agencyId: string }> = (await app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/dispatches`, headers: bearer(operatorToken('op001')), payload: {} })).json().dispatches;
    const ofDamkar = dispatches.find((d) => d.agencyId === 'damkar')!;
    const ofPolisi = dispatches.find((d) => d.agencyId === 'polisi')!;

    const own = await app.inject({ method: 'GET', url: '/api/dispatches', headers: damkar });
    expect(own.json().dispatches.map((d: { id: string }) => d.id)).toEqual([ofDamkar.id]);
    expect((await app.inject({ method: 'GET', url: `/api/dispatches/${ofDamkar.id}`, headers: damkar })).json().incident.description).toBe('Tabrakan motor di Jl. Ahmad Yani');
    const foreign = await app.inject({ method: 'GET', url: `/api/dispatches/${ofPolisi.id}`, headers: damkar });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error).toBe('dispatch-not-found');
    expect((await app.inject({ method: 'POST', url: `/api/dispatches/${ofPolisi.id}/events`, headers: damkar, payload: { type: 'cancel', reason: 'bukan kami' } })).statusCode).toBe(404);
    expect(h.dispatches.get(ofPolisi.id, { kind: 'api', id: 'api' }).timeline.state).toBe('requested');

    const acknowledged = await app.inject({ method: 'POST', url: `/api/dispatches/${ofDamkar.id}/events`, headers: damkar, payload: { type: 'acknowledge' } });
    expect(acknowledged.statusCode).toBe(200);
    expect(acknowledged.json().steps.at(-1)).toMatchObject({ type: 'acknowledge', by: 'agency:damkar' });
    expect((await app.inject({ method: 'POST', url: `/api/dispatches/${ofPolisi.id}/events`, headers: polisi, payload: { type: 'en-route' } })).json().timeline.state).toBe('en-route');

    for (const url of ['/api/incidents', `/api/incidents/${incident.id}`, '/api/agencies', '/api/calls', '/api/admin/webhooks/dead']) {
      expect({ url, status: (await app.inject({ method: 'GET', url, headers: damkar })).statusCode }).toEqual({ url, status: 403 });
    }
    expect((await app.inject({ method: 'DELETE', url: '/api/admin/agencies/damkar/tokens', headers: admin })).json()).toEqual({ revoked: 1 });
    expect((await app.inject({ method: 'GET', url: '/api/dispatches', headers: damkar })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/dispatches', headers: polisi })).statusCode).toBe(200);
    const stored = h.database.sqlite.prepare('SELECT digest FROM agency_tokens').all() as Array<{ digest: string }>;
    expect(stored.every((row) => /^[0-9a-f]{64}$/.test(row.digest))).toBe(true);
  });
});
