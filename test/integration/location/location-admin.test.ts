import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, operatorToken, TEST_ADMIN_TOKEN, testApp } from '../../helpers/core.js';

let harness: ReturnType<typeof coreHarness>;
let app: Awaited<ReturnType<typeof testApp>>;
afterEach(async () => {
  await app?.close();
  harness?.close();
});

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const SHIPPED = readFileSync(join(import.meta.dirname, '../../../src/location/kecamatan/kota-bekasi-kecamatan.geojson'), 'utf8');

async function start() {
  harness = coreHarness();
  app = await testApp(harness);
  await app.ready();
}

const importCsv = (csv: string, partial = false) => app.inject({
  method: 'PUT', url: `/api/admin/location/landlines?partial=${partial}`, headers: { ...admin, 'content-type': 'text/csv' }, payload: csv,
});

const CSV = [
  'number,label,road,house_number,kelurahan,kecamatan,latitude,longitude',
  '021-8888-1234,Kantor Kelurahan Margahayu,Jl. Ir. H. Juanda,1,Margahayu,Bekasi Timur,-6.24756,107.01570',
  '0218895555,Warung Bu Siti,"Jl. Pramuka, Gg. Mawar",12,Jakasampurna,Bekasi Barat,,',
].join('\n');

describe('the landline registry', () => {
  it('given a good CSV, then every row is imported and a call from one of the lines gets its address and kecamatan at once', async () => {
    await start();
    const response = await importCsv(CSV);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ imported: 2, errors: [] });
    const channel = harness.telephony.arrive({ callerNumber: '02188881234' });
    const call = harness.repo.findByChannelId(channel.id)!;
    expect(harness.location.service.locationOf(call.id).fixes).toEqual([expect.objectContaining({
      source: 'landline-registry', shape: 'point', latitude: -6.24756, method: 'manual', kecamatan: 'Bekasi Timur',
      civic: expect.objectContaining({ RD: 'Jl. Ir. H. Juanda', HNO: '1', NAM: 'Kantor Kelurahan Margahayu' }),
    })]);
    const civicOnly = harness.telephony.arrive({ callerNumber: '+62 21 889 5555' });
    expect(harness.location.service.locationOf(harness.repo.findByChannelId(civicOnly.id)!.id).fixes[0]).toMatchObject({ shape: 'civic', civic: { RD: 'Jl. Pramuka, Gg. Mawar' } });
  });

  it('given a CSV with bad rows, then each is reported by line and nothing is imported unless the admin asked for a partial import', async () => {
    await start();
    const csv = `${CSV}\n081234567890,a mobile,,,,,,\n0218887777,,,,,,-6,2,107\n`;
    const refused = await importCsv(csv);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().details.errors).toEqual([
      { line: 4, reason: expect.stringContaining('mobile') },
      { line: 5, reason: expect.any(String) },
    ]);
    expect(harness.location.repo.landlineCount()).toBe(0);
    const partial = await importCsv(csv, true);
    expect(partial.json()).toMatchObject({ imported: 2, errors: [{ line: 4 }, { line: 5 }] });
    expect(harness.location.repo.landlineCount()).toBe(2);
  });

  it('given an operator\'s token, then the import is refused', async () => {
    await start();
    const response = await app.inject({ method: 'PUT', url: '/api/admin/location/landlines', headers: { authorization: `Bearer ${operatorToken('op001')}`, 'content-type': 'text/csv' }, payload: CSV });
    expect(response.statusCode).toBe(403);
  });
});

describe('the kecamatan map', () => {
  const upload = (body: string) => app.inject({ method: 'PUT', url: '/api/admin/location/kecamatan', headers: { ...admin, 'content-type': 'application/geo+json' }, payload: body });

  it('given the 12 kecamatan with one boundary moved, then the new map is used for the next fix and survives a restart', async () => {
    await start();
    const map = JSON.parse(SHIPPED) as { features: Array<{ properties: { name: string }; geometry: { coordinates: number[][][] } }> };
    // Swap the names of two kecamatan: a point in Bantargebang's polygon now answers Jatiasih.
    const [a, b] = [map.features.find((f) => f.properties.name === 'Bantargebang')!, map.features.find((f) => f.properties.name === 'Jatiasih')!];
    [a.properties.name, b.properties.name] = [b.properties.name, a.properties.name];
    const response = await upload(JSON.stringify(map));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().names).toHaveLength(12);
    const restarted = harness.crashAndRestart();
    expect(restarted.location.maps.current().kecamatanAt(-6.348, 106.999)).toBe('Jatiasih');
  });

  it('given a map missing a kecamatan, or not JSON, then 400 says why and the map in use is unchanged', async () => {
    await start();
    const map = JSON.parse(SHIPPED) as { features: unknown[] };
    map.features.pop();
    const missing = await upload(JSON.stringify(map));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/missing/);
    expect((await upload('{"type": "FeatureCollection", ')).json().message).toMatch(/not JSON/);
    expect(harness.location.maps.current().kecamatanAt(-6.348, 106.999)).toBe('Bantargebang');
    expect(harness.location.repo.rejections(10, 0).items.map((r) => r.intake)).toEqual(['kecamatan-geojson', 'kecamatan-geojson']);
  });
});
