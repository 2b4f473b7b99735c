import { z } from 'zod';
import { junkStatements } from '../db/reports/junk-queries.js';
import { num, ratio, type ReportDefinition } from './report-definition.js';
import { rangeJson } from './report-range.js';

/** How many repeat callers the report lists. */
const TOP_NUMBERS = 20;
const VERDICTS = ['valid', 'info', 'prank', 'ghost', 'test', 'duplicate', 'none'] as const;

const repeatNumber = z.object({ number: z.string().describe('normalised (+62…)'), calls: z.number().int(), ...Object.fromEntries(VERDICTS.map((v) => [v, z.number().int()])) as Record<(typeof VERDICTS)[number], z.ZodNumber> });

export const junkJson = z.object({
  range: rangeJson,
  calls: z.number().int(),
  dispositions: z.array(z.object({
    disposition: z.string().describe('the call\'s current (latest) disposition; none: nobody disposed it'),
    calls: z.number().int(), share: z.number().nullable(), operatorMs: z.number().int().describe('operator answer to call end, summed'),
  })),
  ghost: z.object({ calls: z.number().int(), share: z.number().nullable(), operatorMs: z.number().int() })
    .describe('ghost calls counted once: the IVR tagged them ghost or its ghost policy hung up, or an operator disposed them ghost'),
  operatorTime: z.object({ prankMs: z.number().int(), ghostMs: z.number().int() }).describe('what prank and ghost calls cost the operators'),
  repeatNumbers: z.array(repeatNumber).describe(`the ${TOP_NUMBERS} numbers that called most (more than once), with what their calls were`),
  ran: z.object({ ms: z.number(), threadId: z.number().int() }),
});
type JunkJson = z.infer<typeof junkJson>;

export const junkReport: ReportDefinition<typeof junkJson> = {
  path: '/reports/junk',
  summary: 'Calls by disposition (valid, info, prank, ghost, test, duplicate, none), ghost counted once, operator time on prank and ghost, top repeat numbers',
  json: junkJson,
  statements: (range) => junkStatements(range, TOP_NUMBERS),
  build: (rows) => {
    const dispositions = (rows.dispositions ?? []).map((row) => ({ disposition: String(row.disposition), calls: num(row.calls), operatorMs: num(row.operator_ms) }));
    const calls = dispositions.reduce((sum, d) => sum + d.calls, 0);
    const ghost = rows.ghost?.[0] ?? {};
    return {
      calls,
      dispositions: dispositions.map((d) => ({ ...d, share: ratio(d.calls, calls) })),
      ghost: { calls: num(ghost.calls), share: ratio(num(ghost.calls), calls), operatorMs: num(ghost.operator_ms) },
      operatorTime: { prankMs: dispositions.find((d) => d.disposition === 'prank')?.operatorMs ?? 0, ghostMs: num(ghost.operator_ms) },
      repeatNumbers: (rows.repeatNumbers ?? []).map((row) => ({
        number: String(row.number), calls: num(row.calls), ...Object.fromEntries(VERDICTS.map((v) => [v, num(row[v])])) as Record<(typeof VERDICTS)[number], number>,
      })),
    };
  },
  csvColumns: [
      { name: 'section', meaning: 'disposition, ghost (counted once), or repeat-number' },
      { name: 'key', meaning: 'the disposition, ghost, or the number' },
      { name: 'calls', meaning: 'how many calls' },
      { name: 'share', meaning: 'fraction of all calls in the range (dispositions and ghost)' },
      { name: 'operator_ms', meaning: 'operator time they took (dispositions and ghost)' },
    ...VERDICTS.map((v) => ({ name: v, meaning: `a repeat number's calls disposed ${v}` })),
  ],
  csvRows: (report: JunkJson) => [
      ...report.dispositions.map((d) => ({ section: 'disposition', key: d.disposition, calls: d.calls, share: d.share, operator_ms: d.operatorMs })),
      { section: 'ghost', key: 'ghost', calls: report.ghost.calls, share: report.ghost.share, operator_ms: report.ghost.operatorMs },
    ...report.repeatNumbers.map(({ number, calls, ...verdicts }) => ({ section: 'repeat-number', key: number, calls, ...verdicts })),
  ],
};
