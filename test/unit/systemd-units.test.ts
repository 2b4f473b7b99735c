import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../..');

/** A unit file's settings by section, as systemd reads them (comments and blank lines aside). */
function unit(name: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current = '';
  for (const line of readFileSync(join(REPO, 'scripts/systemd', name), 'utf8').split('\n')) {
    const text = line.trim();
    if (!text || text.startsWith('#')) continue;
    const section = /^\[(.+)\]$/.exec(text);
    if (section) {
      current = section[1]!;
      sections[current] = {};
      continue;
    }
    const [key, ...value] = text.split('=');
    sections[current]![key!] = value.join('=');
  }
  return sections;
}

describe('systemd units', () => {
  for (const [name, entry] of [['siaga112.service', 'dist/main.js'], ['siaga112-guardian.service', 'dist/guardian/main.js']] as const) {
    it(`given ${name}, then it restarts after every exit within a second, is never given up on, and runs the built ${entry}`, () => {
      const { Unit, Service } = unit(name);
      expect(Service).toMatchObject({ Restart: 'always', RestartSec: '1', EnvironmentFile: '/etc/siaga112/siaga112.env' });
      expect(Unit).toMatchObject({ StartLimitIntervalSec: '0' });
      expect(Service!.ExecStart).toBe(`/usr/bin/node /opt/siaga112/${entry}`);
      // npm test builds before it runs the tests: the file the unit starts must exist.
      expect(existsSync(join(REPO, entry))).toBe(true);
    });
  }
});
