/**
 * Prometheus's text exposition format read back: each sample under `name{label="value",...}`
 * with its labels in the order written, and each metric's TYPE. Throws on a line it cannot read,
 * so that a malformed exposition fails the test that reads it.
 */
export function parseExposition(text: string): { samples: Map<string, number>; types: Map<string, string> } {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (!sample) throw new Error(`not an exposition line: ${line}`);
    const value = sample[2] === 'Nan' || sample[2] === 'NaN' ? Number.NaN : Number(sample[2]);
    if (samples.has(sample[1]!)) throw new Error(`sample given twice: ${sample[1]}`);
    samples.set(sample[1]!, value);
  }
  return { samples, types };
}
