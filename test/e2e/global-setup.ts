import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, e2eEnabled, labAsterisk, labAsteriskRunning } from './lab.js';

/**
 * Owns the lab Asterisk for the e2e run: provisions and starts it (or uses the running one),
 * refuses to run beside another registered siaga112 app, and stops Asterisk afterwards if this
 * run started it. In CI the e2e tests must run: not being root there is a failure, not a skip.
 */
export default async function setup(): Promise<(() => void) | undefined> {
  if (!e2eEnabled) {
    if (process.env.CI === 'true') throw new Error('CI=true but not root: the end-to-end tests against the real Asterisk cannot be skipped in CI');
    console.warn('\n!!! SKIPPING END-TO-END TESTS: they need root (debootstrap, chroot for the lab Asterisk). Run npm test as root. !!!\n');
    return undefined;
  }
  if (!existsSync(join(REPO, 'dist/main.js'))) throw new Error('dist/main.js missing: run npm run build (npm test does it first)');
  const wasRunning = labAsteriskRunning();
  labAsterisk('start');
  const response = await fetch('http://127.0.0.1:8088/ari/applications', {
    headers: { authorization: `Basic ${Buffer.from('siaga112:lab-ari-secret').toString('base64')}` },
  });
  const apps = (await response.json()) as Array<{ name: string }>;
  if (apps.some((app) => app.name === 'siaga112')) {
    throw new Error('another siaga112 is registered with the lab Asterisk (npm run lab?): stop it before npm test');
  }
  return () => {
    if (!wasRunning) labAsterisk('stop');
  };
}
