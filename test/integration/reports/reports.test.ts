import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, operatorToken, TEST_ADMIN_TOKEN, TEST_API_TOKEN, TEST_SUPERVISOR_TOKEN, testApp } from '../../helpers/core.js';
import { bearer } from '../../helpers/incidents.js';
import { reportFixtures } from '../../helpers/report-fixtures.js';

let h: ReturnType<typeof coreHarness>;
let app: Awaited<ReturnType<typeof testApp>>;
afterEach(async () => {
  await app?.close();
  h?.close();
});

async function start() {
  h = coreHarness({ dbPath: join(mkdtempSync(join(tmpdir(), 'siaga112-reports-')), 'siaga112.db') });
  app = await testApp(h);
  await app.ready();
  return reportFixtures(h.database.sqlite);
}
const get = (url: string, headers: Record<string, string> = bearer(TEST_SUPERVISOR_TOKEN)) => app.inject({ method: 'GET', url, headers });

describe('the seed\'s category table', () => {
  it('given incidents either side of a Jakarta month boundary and one recategorised, then months are local, categories are current, and shares add up', async () => {
    const f = await start();
    // 2026-01-31 23:30 WIB is 16:30 UTC; 2026-02-01 00:30 WIB is 2026-01-31 17:30 UTC.
    f.incident('a', Date.parse('2026-01-31T16:30:00Z'), 'fire');
    f.incident('b', Date.parse('2026-01-31T17:30:00Z'), 'fire');
    f.incident('c', Date.parse('2026-02-10T03:00:00Z'), 'other', 'traffic');
    f.incident('d', Date.parse('2026-02-11T03:00:00Z'), 'traffic');
    const report = (await get('/api/reports/categories?from=2026-01-01&to=2026-02-28')).json();
    expect(report.incidents.total).toBe(4);
    expect(report.incidents.byCategory).toEqual([{ category: 'fire', count: 2, share: 0.5 }, { category: 'traffic', count: 2, share: 0.5 }]);
    expect(report.incidents.byMonth).toEqual([
      { month: '2026-01', total: 1, byCategory: [{ category: 'fire', count: 1, share: 1 }] },
      { month: '2026-02', total: 3, byCategory: [{ category: 'traffic', count: 2, share: 0.6667 }, { category: 'fire', count: 1, share: 0.3333 }] },
    ]);
    const utc = (await get('/api/reports/categories?from=2026-01-01&to=2026-02-28&tz=UTC')).json();
    expect(utc.incidents.byMonth.map((m: { month: string; total: number }) => [m.month, m.total])).toEqual([['2026-01', 2], ['2026-02', 2]]);
  });

  it('given calls disposed valid, then prank, then valid again, then only calls valid now count, by the IVR category', async () => {
    const f = await start();
    const at = Date.parse('2026-03-10T02:00:00Z');
    f.dispose(f.call({ id: 'v1', at, category: 'medical' }), 'valid');
    const changed = f.call({ id: 'v2', at, category: 'medical' });
    f.dispose(changed, 'valid');
    f.dispose(changed, 'prank');
    const back = f.call({ id: 'v3', at, category: 'fire' });
    f.dispose(back, 'prank');
    f.dispose(back, 'valid');
    f.call({ id: 'none', at, category: 'fire' });
    const report = (await get('/api/reports/categories?from=2026-03-01&to=2026-03-31')).json();
    expect(report.validCalls.byCategory).toEqual([{ category: 'fire', count: 1, share: 0.5 }, { category: 'medical', count: 1, share: 0.5 }]);
  });
});

describe('junk and operators', () => {
  it('given valid, prank, ghost and undisposed calls, then shares, ghost once, operator time and repeat numbers are exact', async () => {
    const f = await start();
    const at = Date.parse('2026-03-10T02:00:00Z');
    f.dispose(f.call({ id: 'p1', at, number: '+628111', connectedAfterMs: 5000, endedAfterMs: 35_000, operatorId: 'op001' }), 'prank');
    f.dispose(f.call({ id: 'p2', at, number: '+628111', connectedAfterMs: 5000, endedAfterMs: 15_000, operatorId: 'op001' }), 'prank');
    // Tagged by the IVR and disposed ghost: one ghost call.
    f.dispose(f.call({ id: 'g1', at, number: '+628111', tags: ['ghost'], connectedAfterMs: 9000, endedAfterMs: 29_000, operatorId: 'op002' }), 'ghost');
    f.call({ id: 'g2', at, number: '+628222', tags: ['ghost'] });
    // Hung up by the IVR's ghost policy (no tag): a ghost call too.
    f.call({ id: 'g3', at, number: 'unknown', endReason: 'ghost-policy' });
    // Without a number (no SIM, withheld): never a "repeat number", however many such calls.
    f.call({ id: 'n1', at, number: 'unknown' });
    f.dispose(f.call({ id: 'v1', at, number: '+628222', connectedAfterMs: 3000, endedAfterMs: 183_000, operatorId: 'op002' }), 'valid');
    const junk = (await get('/api/reports/junk?from=2026-03-10&to=2026-03-10')).json();
    expect(junk.calls).toBe(7);
    expect(junk.dispositions).toEqual([
      { disposition: 'ghost', calls: 1, share: 0.1429, operatorMs: 20_000 },
      { disposition: 'none', calls: 3, share: 0.4286, operatorMs: 0 },
      { disposition: 'prank', calls: 2, share: 0.2857, operatorMs: 40_000 },
      { disposition: 'valid', calls: 1, share: 0.1429, operatorMs: 180_000 },
    ]);
    expect(junk.ghost).toEqual({ calls: 3, share: 0.4286, operatorMs: 20_000 });
    expect(junk.operatorTime).toEqual({ prankMs: 40_000, ghostMs: 20_000 });
    expect(junk.repeatNumbers).toEqual([
      { number: '+628111', calls: 3, valid: 0, info: 0, prank: 2, ghost: 1, test: 0, duplicate: 0, none: 0 },
      { number: '+628222', calls: 2, valid: 1, info: 0, prank: 0, ghost: 0, test: 0, duplicate: 0, none: 1 },
    ]);
  });

  it('given an operator\'s shift crossing the range\'s start, then state times are clipped to the range and handle times and auto-pauses are counted', async () => {
    const f = await start();
    const day = Date.parse('2026-03-09T17:00:00Z'); // 2026-03-10 00:00 WIB
    f.operatorEvent('op001', day - 600_000, 'offline', 'available', 'login');
    f.operatorEvent('op001', day + 60_000, 'available', 'offered', 'offer');
    f.operatorEvent('op001', day + 70_000, 'offered', 'paused', 'no-answer');
    f.operatorEvent('op001', day + 130_000, 'paused', 'available', 'resume');
    f.operatorEvent('op001', day + 200_000, 'available', 'offered', 'offer');
    f.operatorEvent('op001', day + 205_000, 'offered', 'busy', 'answer');
    f.operatorEvent('op001', day + 325_000, 'busy', 'wrapup', 'call-ended');
    f.operatorEvent('op001', day + 355_000, 'wrapup', 'offline', 'logout');
    f.call({ id: 'c1', at: day + 195_000, connectedAfterMs: 10_000, endedAfterMs: 130_000, operatorId: 'op001' });
    f.call({ id: 'c2', at: day + 400_000, connectedAfterMs: 10_000, endedAfterMs: 70_000, operatorId: 'op001' });
    // Answered by the overflow centre: not one of the centre's operators.
    f.call({ id: 'c3', at: day + 500_000, connectedAfterMs: 30_000, endedAfterMs: 90_000, operatorId: 'overflow' });
    const report = (await get('/api/reports/operators?from=2026-03-10&to=2026-03-10')).json();
    expect(report.operators).toHaveLength(1);
    const [op] = report.operators;
    expect(op).toMatchObject({ operatorId: 'op001', answered: 2, handleAvgMs: 90_000, handleP90Ms: 120_000, wrapupMs: 30_000, noAnswerPauses: 1 });
    // available: 60 s from midnight (the 10 min before it are outside) + 70 s; offline: to the end of the day.
    expect(op.stateMs).toMatchObject({ available: 130_000, offered: 15_000, paused: 60_000, busy: 120_000, wrapup: 30_000 });
    expect(op.stateMs.offline).toBe(Date.parse('2026-03-10T17:00:00Z') - (day + 355_000));
  });
});

describe('report formats and refusals', () => {
  it('given Accept: text/csv or ?format=csv, then an RFC 4180 table with its header, quotes where needed and no formula cells', async () => {
    const f = await start();
    const at = Date.parse('2026-03-10T02:00:00Z');
    f.call({ id: 'x1', at, number: '=HYPERLINK("x",1)' });
    f.call({ id: 'x2', at, number: '=HYPERLINK("x",1)' });
    const csv = await app.inject({ method: 'GET', url: '/api/reports/junk?from=2026-03-10&to=2026-03-10', headers: { ...bearer(TEST_API_TOKEN), accept: 'text/csv' } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toBe('section,key,calls,share,operator_ms,valid,info,prank,ghost,test,duplicate,none');
    expect(lines).toContain('disposition,none,2,1,0,,,,,,,');
    expect(lines).toContain('repeat-number,"\'=HYPERLINK(""x"",1)",2,,,0,0,0,0,0,0,2');
    const byParam = await get('/api/reports/categories?from=2026-03-10&to=2026-03-10&format=csv', bearer(TEST_ADMIN_TOKEN));
    expect(byParam.body.split('\r\n')[0]).toBe('table,month,category,count,share');
  });

  it('given bad parameters or the wrong principal, then 400, 401 or 403 with the reason', async () => {
    await start();
    const cases: Array<[string, Record<string, string>, number, string | null]> = [
      ['/api/reports/service-level', {}, 401, 'unauthorized'],
      ['/api/reports/service-level', bearer(operatorToken('op001')), 403, 'forbidden'],
      ['/api/reports/service-level?tz=Mars/Olympus', bearer(TEST_SUPERVISOR_TOKEN), 400, null],
      ['/api/reports/service-level?from=2026-03-10&to=2026-03-01', bearer(TEST_SUPERVISOR_TOKEN), 400, 'empty-range'],
      ['/api/reports/service-level?from=2020-01-01&to=2026-01-01', bearer(TEST_SUPERVISOR_TOKEN), 400, 'range-too-long'],
      ['/api/reports/service-level?from=yesterday', bearer(TEST_SUPERVISOR_TOKEN), 400, null],
      ['/api/reports/service-level?format=xlsx', bearer(TEST_SUPERVISOR_TOKEN), 400, null],
      ['/api/reports/service-level?colour=red', bearer(TEST_SUPERVISOR_TOKEN), 400, null],
    ];
    for (const [url, headers, status, error] of cases) {
      const response = await get(url, headers);
      expect({ url, status: response.statusCode }).toEqual({ url, status });
      if (error) expect(response.json().error).toBe(error);
    }
  });
});
