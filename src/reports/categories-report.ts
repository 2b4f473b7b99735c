import { z } from 'zod';
import { categoryStatements } from '../db/reports/category-queries.js';
import { num, ratio, type ReportDefinition, type ReportRows } from './report-definition.js';
import { rangeJson } from './report-range.js';

const share = z.number().nullable().describe('fraction of the total, 0–1, to four places');
const line = z.object({ category: z.string(), count: z.number().int(), share });
const table = z.object({
  total: z.number().int(),
  byCategory: z.array(line),
  byMonth: z.array(z.object({ month: z.string().describe('YYYY-MM, local'), total: z.number().int(), byCategory: z.array(line) })),
});

export const categoriesJson = z.object({
  range: rangeJson,
  incidents: table.describe('incidents by their category now, by the month they were created'),
  validCalls: table.describe('calls whose current disposition is valid, by the IVR category the caller chose, by the month they arrived'),
  ran: z.object({ ms: z.number(), threadId: z.number().int() }),
});
type CategoriesJson = z.infer<typeof categoriesJson>;

function tableOf(rows: ReportRows[string]): z.infer<typeof table> {
  const typed = (rows ?? []).map((row) => ({ month: String(row.month), category: typeof row.category === 'string' ? row.category : 'unknown', count: num(row.count) }));
  const lines = (subset: typeof typed) => {
    const total = subset.reduce((sum, row) => sum + row.count, 0);
    const byCategory = new Map<string, number>();
    for (const row of subset) byCategory.set(row.category, (byCategory.get(row.category) ?? 0) + row.count);
    return { total, byCategory: [...byCategory].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([category, count]) => ({ category, count, share: ratio(count, total) })) };
  };
  const months = [...new Set(typed.map((row) => row.month))].sort();
  return { ...lines(typed), byMonth: months.map((month) => ({ month, ...lines(typed.filter((row) => row.month === month)) })) };
}

const COLUMNS = [
  { name: 'table', meaning: 'incidents, or valid-calls' },
  { name: 'month', meaning: 'YYYY-MM (local), or all for the whole range' },
  { name: 'category', meaning: 'incident category, or the IVR category of valid calls' },
  { name: 'count', meaning: 'how many' },
  { name: 'share', meaning: 'fraction of the table\'s total for that month (or range), 0–1' },
] as const;

/** The seed's table: what the centre reports to the city each month. */
export const categoriesReport: ReportDefinition<typeof categoriesJson> = {
  path: '/reports/categories',
  summary: 'Incidents and valid calls per category, with shares, per month (the seed\'s table)',
  json: categoriesJson,
  statements: (range) => categoryStatements(range, range.segments),
  build: (rows) => ({ incidents: tableOf(rows.incidents ?? []), validCalls: tableOf(rows.validCalls ?? []) }),
  csvColumns: COLUMNS,
  csvRows: (report: CategoriesJson) => {
    const rowsOf = (name: string, t: z.infer<typeof table>) => [
      ...t.byCategory.map((l) => ({ table: name, month: 'all', category: l.category, count: l.count, share: l.share })),
      ...t.byMonth.flatMap((m) => m.byCategory.map((l) => ({ table: name, month: m.month, category: l.category, count: l.count, share: l.share }))),
    ];
    return [...rowsOf('incidents', report.incidents), ...rowsOf('valid-calls', report.validCalls)];
  },
};
