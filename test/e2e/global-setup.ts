import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_ROOT, REPO, asteriskCli, e2eEnabled, labAsterisk, labAsteriskRunning } from './lab.js';

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
  // A fresh Asterisk: no channel left in Stasis by an earlier run (the app object outlives its
  // WebSocket while it has channels). A siaga112 that is really running reconnects within its
  // 2 s backoff cap, which the check below then sees.
  labAsterisk(wasRunning ? 'restart' : 'start');
  await new Promise((resolve) => setTimeout(resolve, wasRunning ? 3000 : 0));
  // No softphone registered before this run: Asterisk keeps registrations across restarts, and
  // one whose phone was killed would otherwise linger until it expires.
  asteriskCli('database deltree registrar/contact');
  // The IVR's prompts must exist as audio, or every playback ends "failed".
  execFileSync(process.execPath, [join(REPO, 'dist/prompts-cli.js')], {
    env: { PATH: process.env.PATH, SIAGA112_MODE: 'lab', SIAGA112_LAB_ROOT: LAB_ROOT, SIAGA112_DB_PATH: join(mkdtempSync(join(tmpdir(), 'siaga112-prompts-')), 'p.db') },
    stdio: 'ignore',
  });
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
