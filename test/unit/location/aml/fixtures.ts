import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** An AML sample from test/fixtures/aml, byte for byte. */
export function amlFixture(name: string): string {
  return readFileSync(join(import.meta.dirname, '../../../fixtures/aml', name), 'utf8');
}

/** Appends `;ml=N`, N the length of the whole result in code points, as a handset does. */
export function withLength(text: string): string {
  const stem = `${text};ml=`;
  const stemLength = [...stem].length;
  for (let n = stemLength + 1; ; n += 1) if (stemLength + String(n).length === n) return `${stem}${n}`;
}
