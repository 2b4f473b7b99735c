import { z } from 'zod';
import { operatorStatements } from '../db/reports/operator-queries.js';
import { operatorStateSchema } from '../operators/operator-states.js';
import { ms, num, type ReportDefinition } from './report-definition.js';
import { rangeJson } from './report-range.js';

const operatorLine = z.object({
  operatorId: z.string(),
  answered: z.number().int().describe('calls the operator answered (calls arrived in the range)'),
  handleAvgMs: z.number().int().nullable().describe('operator answer to the call\'s end, average'),
  handleP90Ms: z.number().int().nullable(),
  wrapupMs: z.number().int().describe('time in wrap-up in the range'),
  noAnswerPauses: z.number().int().describe('times an unanswered ring paused the operator'),
  stateMs: z.record(z.string(), z.number().int()).describe('time in each state within the range'),
});

export const operatorsJson = z.object({
  range: rangeJson,
  operators: z.array(operatorLine),
  ran: z.object({ ms: z.number(), threadId: z.number().int() }),
});
type OperatorsJson = z.infer<typeof operatorsJson>;

export const operatorsReport: ReportDefinition<typeof operatorsJson> = {
  path: '/reports/operators',
  summary: 'Per operator: calls answered, handle time (average, p90), wrap-up, no-answer auto-pauses, time in each state',
  json: operatorsJson,
  statements: (range, now) => operatorStatements(range, now),
  build: (rows) => {
    const ids = new Set<string>();
    for (const name of ['calls', 'states', 'noAnswer']) for (const row of rows[name] ?? []) ids.add(String(row.operator_id));
    return {
      operators: [...ids].sort().map((operatorId) => {
        const calls = (rows.calls ?? []).find((row) => row.operator_id === operatorId);
        const stateMs = Object.fromEntries((rows.states ?? []).filter((row) => row.operator_id === operatorId).map((row) => [String(row.state), num(row.ms)]));
        return {
          operatorId, answered: num(calls?.answered), handleAvgMs: ms(calls?.handle_avg_ms), handleP90Ms: ms(calls?.handle_p90_ms),
          wrapupMs: stateMs.wrapup ?? 0, noAnswerPauses: num((rows.noAnswer ?? []).find((row) => row.operator_id === operatorId)?.pauses), stateMs,
        };
      }),
    };
  },
  csvColumns: [
      { name: 'operator_id', meaning: 'the operator' },
      { name: 'answered', meaning: 'calls answered' },
      { name: 'handle_avg_ms', meaning: 'operator answer to call end, average' },
      { name: 'handle_p90_ms', meaning: 'the same, 90th percentile' },
      { name: 'wrapup_ms', meaning: 'time in wrap-up' },
      { name: 'no_answer_pauses', meaning: 'auto-pauses after an unanswered ring' },
    ...operatorStateSchema.options.map((state) => ({ name: `${state}_ms`, meaning: `time ${state}` })),
  ],
  csvRows: (report: OperatorsJson) => report.operators.map((o) => ({
      operator_id: o.operatorId, answered: o.answered, handle_avg_ms: o.handleAvgMs, handle_p90_ms: o.handleP90Ms, wrapup_ms: o.wrapupMs, no_answer_pauses: o.noAnswerPauses,
    ...Object.fromEntries(operatorStateSchema.options.map((state) => [`${state}_ms`, o.stateMs[state] ?? 0])),
  })),
};
