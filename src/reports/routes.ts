import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { PrincipalKind } from '../auth/principal.js';
import { errorBody } from '../http/errors.js';
import { toCsv } from './csv.js';
import type { ReportDefinition } from './report-definition.js';
import { rangeOf, reportQuery, resolveRange } from './report-range.js';
import type { ReportRunner } from './report-runner.js';

const security = [{ bearer: [] }];
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 503: errorBody };
/** Who reads reports: supervisors and admins in the console, and API clients (the city's dashboard). */
const readers = { allow: [PrincipalKind.supervisor, PrincipalKind.admin, PrincipalKind.api] } as const;

function csvDescription(definition: ReportDefinition<z.ZodType>): string {
  const columns = definition.csvColumns.map((column) => `\`${column.name}\`: ${column.meaning}`).join('; ');
  return `JSON by default; CSV with \`Accept: text/csv\` or \`?format=csv\` (RFC 4180, header row). CSV columns: ${columns}.`;
}

/** One GET per report; each runs in the report thread, never on the thread that handles calls. */
export const reportRoutes = (definitions: ReadonlyArray<ReportDefinition<z.ZodType>>, runner: ReportRunner, now: () => number): FastifyPluginAsyncZod => async (app) => {
  for (const definition of definitions) {
    app.get(definition.path, {
      config: readers,
      schema: {
        summary: definition.summary, description: csvDescription(definition), security, querystring: reportQuery,
        response: { 200: definition.json, ...errors },
      },
    }, async (request, reply) => {
      const at = now();
      const range = resolveRange(request.query, at);
      const run = await runner.run(definition.statements(range, at));
      const report = { range: rangeOf(range), ...definition.build(run.results, range), ran: { ms: Math.round(run.ms * 10) / 10, threadId: run.threadId } };
      const wantsCsv = request.query.format === 'csv' || (request.query.format === undefined && /\btext\/csv\b/.test(request.headers.accept ?? ''));
      if (!wantsCsv) return report;
      const name = definition.path.split('/').at(-1);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="siaga112-${name}.csv"`).send(toCsv({ columns: definition.csvColumns, rows: definition.csvRows(report) }));
    });
  }
};
