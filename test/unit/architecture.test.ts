import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');
/** Files at the top of src that wire capabilities together: they may import anything, nothing imports them. */
const COMPOSITION = new Set(['app.ts', 'main.ts', 'prompts-cli.ts', 'domain-events.ts', 'capabilities.ts', 'settings.ts', 'health-routes.ts', 'presence-routes.ts', 'status-schemas.ts', 'config.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** A file's layer: its folder under src, "kernel" for shared files at the top, "composition" for the wiring. */
function layerOf(file: string): string {
  const path = relative(SRC, file);
  if (!path.includes('/')) return COMPOSITION.has(path) ? 'composition' : 'kernel';
  // A process's entry point (the guardian's, a command line tool's) wires like main.ts does.
  if (path.endsWith('/main.ts') || path.endsWith('-cli.ts')) return 'composition';
  return path.split('/')[0]!;
}

/** layer → layers it imports from, with one example import each. */
function layerGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const target = normalize(join(dirname(file), specifier!)).replace(/\.js$/, '.ts');
      const to = layerOf(target);
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      graph.get(from)!.set(to, `${relative(SRC, file)} → ${relative(SRC, target)}`);
    }
  }
  return graph;
}

/** Every pair of layers that import each other, directly or through others. */
function cycles(graph: Map<string, Map<string, string>>): string[] {
  const reach = (start: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [...(graph.get(start)?.keys() ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(graph.get(next)?.keys() ?? []));
    }
    return seen;
  };
  const found: string[] = [];
  for (const [from, targets] of graph) {
    for (const [to, example] of targets) if (reach(to).has(from)) found.push(`${from} ⇄ ${to} (${example})`);
  }
  return found.sort();
}

describe('layers', () => {
  it('given every import in src, then no two capability folders import each other, even through a third', () => {
    expect(cycles(layerGraph())).toEqual([]);
  });

  it('given the kernel files at the top of src (clock, log, errors), then they import no capability', () => {
    const kernel = [...(layerGraph().get('kernel')?.entries() ?? [])].map(([to, example]) => `${to}: ${example}`);
    expect(kernel).toEqual([]);
  });

  it('given the wiring files (app, main), then no capability imports them', () => {
    const intoWiring = [...layerGraph()].flatMap(([from, targets]) => (from !== 'composition' && targets.has('composition') ? [targets.get('composition')!] : []));
    expect(intoWiring).toEqual([]);
  });
});
