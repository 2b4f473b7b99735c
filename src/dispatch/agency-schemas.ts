import { z } from 'zod';
import { categorySchema } from '../ivr/flow-schema.js';
import { agencyIdSchema, routingTableSchema, subcategorySchema, type RoutingTable } from './agency-routing.js';

/** A number dialled through the trunk (an agency's desk, 113, 0218801234). */
export const agencyNumberSchema = z.string().regex(/^[0-9+*#]{2,32}$/, 'digits, +, * or #, 2 to 32 of them');

/** One thing an agency serves: a category (or one subcategory), always or only when people are hurt. */
export const agencyServesSchema = z.object({
  category: categorySchema,
  subcategory: subcategorySchema.optional(),
  onlyWhenHurt: z.boolean().default(false),
}).strict();
export type AgencyServes = z.infer<typeof agencyServesSchema>;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Where an agency's webhooks go: https, or plain http only on loopback (a relay on the same
 * machine, and the tests). Incident details are personal data; they never cross a network in clear.
 */
// zod runs the refinements even when z.url() failed: each parses defensively (an unparseable text is z.url()'s to report).
export const webhookUrlSchema = z.url({ protocol: /^https?$/ }).max(500).refine((text) => {
  const url = URL.parse(text);
  return url === null || url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
}, 'webhooks need https (plain http only to a loopback address)').refine((text) => {
  const url = URL.parse(text);
  return url === null || (url.username === '' && url.password === '');
}, 'no credentials in the URL: the signature authenticates siaga112');

const agencyFields = {
  name: z.string().trim().min(1).max(80),
  numbers: z.array(agencyNumberSchema).max(5),
  serves: z.array(agencyServesSchema).max(100),
  webhookUrl: webhookUrlSchema.nullable(),
};

/** An admin's new agency. */
export const agencyCreateBody = z.object({
  id: agencyIdSchema,
  name: agencyFields.name,
  numbers: agencyFields.numbers.default([]),
  serves: agencyFields.serves.default([]),
  webhookUrl: agencyFields.webhookUrl.default(null),
}).strict();
export type AgencyCreate = z.infer<typeof agencyCreateBody>;

/** An admin's change: only the fields given change. */
export const agencyUpdateBody = z.object(agencyFields).partial().strict()
  .refine((body) => Object.keys(body).length > 0, 'say what changes: name, numbers, serves or webhookUrl');
export type AgencyUpdate = z.infer<typeof agencyUpdateBody>;

/** An agency as the API shows it: never its signing key, only whether it has one. */
export const agencyView = z.object({
  id: agencyIdSchema,
  ...agencyFields,
  hasSigningKey: z.boolean(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type AgencyView = z.infer<typeof agencyView>;

/** The answer to a change that created a signing key: the key, this once. */
export const agencyChangedBody = z.object({
  agency: agencyView,
  signingKey: z.string().optional().describe('only when this request created the key: store it now, it is never shown again'),
});

/**
 * The routing table derived from what each agency serves, in the agencies' order: a row per
 * (category, subcategory) anyone serves. Throws the table's own refusal (a category with nobody
 * to send, a row only hurt-only agencies serve) as a message naming the row.
 */
export function routingTableOf(rows: ReadonlyArray<{ id: string; serves: readonly AgencyServes[] }>): RoutingTable {
  const byKey = new Map<string, { category: AgencyServes['category']; subcategory?: string; agencies: string[]; whenPeopleHurt: string[] }>();
  for (const agency of rows) {
    for (const served of agency.serves) {
      const key = `${served.category}/${served.subcategory ?? ''}`;
      const row = byKey.get(key) ?? { category: served.category, ...(served.subcategory ? { subcategory: served.subcategory } : {}), agencies: [], whenPeopleHurt: [] };
      const list = served.onlyWhenHurt ? row.whenPeopleHurt : row.agencies;
      if (!list.includes(agency.id)) list.push(agency.id);
      byKey.set(key, row);
    }
  }
  const candidate = [...byKey.values()];
  const parsed = routingTableSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const row = typeof issue.path[0] === 'number' ? candidate[issue.path[0]] : undefined;
    return row ? `${row.category}${row.subcategory ? `/${row.subcategory}` : ''}: ${issue.message}` : issue.message;
  });
  throw new RoutingIncomplete(problems);
}

/** The agencies as they would be leave some incident with nobody to send. */
export class RoutingIncomplete extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}
