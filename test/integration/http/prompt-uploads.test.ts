import { afterEach, describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, coreHarness, testApp } from '../../helpers/core.js';
import { wav } from '../../helpers/wav.js';

const ADMIN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
let harness: ReturnType<typeof coreHarness>;
afterEach(() => harness?.close());

async function setup() {
  harness = coreHarness();
  harness.flows.ensureDefault();
  return testApp(harness);
}

describe('uploading a recorded prompt', () => {
  it('given an 8 kHz mono WAV, then it replaces the prompt under the name calls use', async () => {
    const app = await setup();
    const response = await app.inject({
      method: 'PUT', url: '/api/admin/ivr/prompts/default-112/greeting/id', headers: { ...ADMIN, 'content-type': 'audio/wav' }, payload: wav({ seconds: 3 }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ flowId: 'default-112', promptId: 'greeting', language: 'id', durationMs: 3000 });
    expect(response.json().sound).toMatch(/^sound:siaga112\/id\/greeting-[0-9a-f]{10}$/);
    expect(harness.installed).toEqual([{ base: `/sounds/${String(response.json().sound).slice('sound:'.length)}`, bytes: 44 + 48_000 }]);
  });

  it('given a stereo 44.1 kHz file, then 422 names each problem and nothing is installed', async () => {
    const app = await setup();
    const response = await app.inject({
      method: 'PUT', url: '/api/admin/ivr/prompts/default-112/menu/en', headers: { ...ADMIN, 'content-type': 'audio/wav' }, payload: wav({ rate: 44100, channels: 2, seconds: 0.2 }),
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ error: 'invalid-audio', details: ['sample rate must be 8000 Hz (is 44100)', 'must be mono (has 2 channels)'] });
    expect(harness.installed).toEqual([]);
  });

  it('given an unknown prompt, another content type or no admin token, then 404, 415 or 401', async () => {
    const app = await setup();
    const unknown = await app.inject({ method: 'PUT', url: '/api/admin/ivr/prompts/default-112/welcome/id', headers: { ...ADMIN, 'content-type': 'audio/wav' }, payload: wav() });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'prompt-not-found' });
    const json = await app.inject({ method: 'PUT', url: '/api/admin/ivr/prompts/default-112/greeting/id', headers: ADMIN, payload: { audio: 'x' } });
    expect(json.statusCode).toBe(415);
    const anonymous = await app.inject({ method: 'PUT', url: '/api/admin/ivr/prompts/default-112/greeting/id', headers: { 'content-type': 'audio/wav' }, payload: wav() });
    expect(anonymous.statusCode).toBe(401);
    expect(harness.installed).toEqual([]);
  });
});
