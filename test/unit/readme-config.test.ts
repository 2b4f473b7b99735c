import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';

/** The README's configuration table, rendered from the one config schema. */
function renderTable(): string {
  const rows = Object.entries(configSchema.shape).map(([key, schema]) => {
    const parsed = schema.safeParse(undefined);
    const value = parsed.success ? parsed.data : undefined;
    const shownValue = typeof value === 'object' && value !== null ? Object.entries(value).map(([k, v]) => `${k}=${String(v)}`).join(',') : value;
    const fallback = shownValue !== undefined ? `\`${String(shownValue)}\`` : '';
    const description = schema.description ?? '';
    // A secret the schema lets be absent (parsed.success) switches a feature off rather than stopping the start.
    const secret = parsed.success ? 'none (the feature is off); lab default in lab mode' : 'required; lab default in lab mode';
    const shown = fallback || (description.includes('(secret)') ? secret : 'derived');
    return `| \`${key}\` | ${shown} | ${description} |`;
  });
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

describe('README configuration table', () => {
  it('given the config schema, then the README table lists exactly its variables, defaults and meanings', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const table = /<!-- config-table:start -->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(readme)?.[1];
    expect(table, `README.md needs this between the config-table markers:\n${renderTable()}`).toBe(renderTable());
  });
});
