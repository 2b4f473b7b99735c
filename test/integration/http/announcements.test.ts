import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_FLOW } from '../../../src/ivr/default-flow.js';
import { flowSchema } from '../../../src/ivr/flow-schema.js';
import { withAnnouncement } from '../../../src/ivr/interpreter.js';
import { simulateFlow } from '../../../src/ivr/simulation.js';
import { TEST_ADMIN_TOKEN, coreHarness, testApp } from '../../helpers/core.js';

const ADMIN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const FIRE = { texts: { id: 'Jika Anda menelepon tentang kebakaran di Jatiasih, tekan 1.', en: 'If you are calling about the fire in Jatiasih, press 1.' }, key: '1', eventTag: 'fire-jatiasih' };
let harness: ReturnType<typeof coreHarness>;
afterEach(() => harness?.close());

describe('mass-call announcements', () => {
  it('given none active, when a supervisor switches one on and off, then it is live at once and its audio was prepared first', async () => {
    harness = coreHarness();
    const app = await testApp(harness);
    expect((await app.inject({ method: 'GET', url: '/api/admin/announcement', headers: ADMIN })).json()).toEqual({ active: null });
    const on = await app.inject({ method: 'POST', url: '/api/admin/announcement', headers: ADMIN, payload: FIRE });
    expect(on.statusCode).toBe(201);
    expect(harness.preparedAnnouncements).toEqual([FIRE.texts]);
    expect(harness.announcements.current()).toMatchObject({ key: '1', eventTag: 'fire-jatiasih' });
    expect((await app.inject({ method: 'DELETE', url: '/api/admin/announcement', headers: ADMIN })).statusCode).toBe(204);
    expect(harness.announcements.current()).toBeUndefined();
    expect((await app.inject({ method: 'DELETE', url: '/api/admin/announcement', headers: ADMIN })).statusCode).toBe(404);
  });

  it('given a bad announcement, then 400 names the field and nothing goes live', async () => {
    harness = coreHarness();
    const app = await testApp(harness);
    const response = await app.inject({ method: 'POST', url: '/api/admin/announcement', headers: ADMIN, payload: { ...FIRE, key: '12', texts: { en: 'x' } } });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('body.key: one key, 0-9');
    expect(response.json().message).toContain('an Indonesian (id) text is required');
    expect(harness.announcements.current()).toBeUndefined();
  });

  it('given an active announcement, then a caller pressing its key is tagged to the event and queued at once; others go on to the menu', async () => {
    const flow = withAnnouncement(flowSchema.parse(DEFAULT_FLOW), FIRE.texts);
    const context = { dialled: '112', announcement: { key: '1', eventTag: 'fire-jatiasih' } };
    const about = await simulateFlow(flow, context, [{ type: 'digits', digits: '1' }]);
    expect(about.outcome).toMatchObject({ kind: 'enqueue', tags: ['event:fire-jatiasih'], path: ['announcement'] });
    // Silent through the announcement, its short wait and the greeting; 3 over the menu.
    const other = await simulateFlow(flow, context, [{ type: 'silence' }, { type: 'silence' }, { type: 'silence' }, { type: 'digits', digits: '3' }]);
    expect(other.outcome).toMatchObject({ kind: 'enqueue', category: 'medical', tags: [] });
    expect(other.prompts.map((p) => p.promptId)).toEqual(['announcement', 'greeting', 'menu']);
  });
});
