import { z } from 'zod';
import { categorySchema, type Category } from '../ivr/flow-schema.js';

/**
 * Which agencies an incident needs, as data admins edit: a routing table checked once with zod,
 * and one pure lookup. The operator sees the result as a proposal and may add or remove agencies
 * on the incident; the table only decides what is proposed.
 */

/**
 * Agency ids are slugs, not a closed enum: admins may add agencies (Basarnas, PMI, PLN) and the
 * routing table must be able to name them. The five below are the seed every centre starts with.
 */
export const agencyIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'agency ids are lower-case words with dashes, e.g. "satpol-pp"');
export type AgencyId = z.infer<typeof agencyIdSchema>;

export const AgencyIds = {
  bpbd: 'bpbd',
  dinkes: 'dinkes',
  damkar: 'damkar',
  satpolPp: 'satpol-pp',
  polisi: 'polisi',
} as const;

export const agencySchema = z.object({ id: agencyIdSchema, name: z.string().trim().min(1).max(80) });
export type Agency = z.infer<typeof agencySchema>;

/** The agencies a new database is seeded with, with the names operators know them by. */
export const DEFAULT_AGENCIES: readonly Agency[] = [
  { id: AgencyIds.bpbd, name: 'BPBD Kota Bekasi' },
  { id: AgencyIds.dinkes, name: 'Dinkes (ambulans)' },
  { id: AgencyIds.damkar, name: 'Damkar' },
  { id: AgencyIds.satpolPp, name: 'Satpol PP' },
  { id: AgencyIds.polisi, name: 'Polisi (Polri)' },
];

/** Subcategories are configurable per category; same slug shape as the IVR's ids. */
export const subcategorySchema = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'subcategories are lower-case words with dashes, e.g. "fallen-tree"');

/**
 * One row: the agencies sent for a category (or one of its subcategories), and the ones added
 * when people are hurt. A subcategory row replaces its category's row rather than adding to it,
 * so each row reads as the whole answer for that case.
 */
export const routingRowSchema = z.object({
  category: categorySchema,
  subcategory: subcategorySchema.optional(),
  agencies: z.array(agencyIdSchema).min(1, 'a row sends at least one agency'),
  whenPeopleHurt: z.array(agencyIdSchema).default([]),
}).strict();
export type RoutingRow = z.infer<typeof routingRowSchema>;

const rowKey = (row: { category: Category; subcategory?: string | undefined }) => `${row.category}/${row.subcategory ?? ''}`;

/**
 * The whole table. Every IVR category must have a row without subcategory, so an incident is
 * never left with nobody proposed; and no (category, subcategory) appears twice, so the lookup
 * never depends on row order.
 */
export const routingTableSchema = z.array(routingRowSchema).superRefine((rows, ctx) => {
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    const key = rowKey(row);
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index], message: `${key} appears twice` });
    seen.add(key);
  });
  for (const category of categorySchema.options) {
    if (!seen.has(`${category}/`)) ctx.addIssue({ code: 'custom', path: [], message: `category ${category} has no row without subcategory` });
  }
});
export type RoutingTable = z.infer<typeof routingTableSchema>;
export type RoutingTableInput = z.input<typeof routingTableSchema>;

/**
 * The seed table for Kota Bekasi. Why each row:
 * - fire → Damkar; Dinkes when hurt: burns and smoke need an ambulance, a contained fire does not.
 * - traffic → Polisi + Dinkes always: the IVR's option is "kecelakaan" (an accident), and a caller
 *   at a crash cannot judge injuries; Polisi (Satlantas) secures the road and makes the report.
 * - medical → Dinkes.
 * - disaster → BPBD (flood and the rest); Dinkes when hurt.
 *   - fallen-tree → BPBD + Damkar: Damkar carries the chainsaws and frees people or cars under
 *     the tree; BPBD records the damage.
 *   - small-landslide → BPBD only (its rapid-response team assesses the ground), but Damkar joins
 *     Dinkes when people are hurt: someone hurt in a landslide is often buried, a rescue job.
 * - crime → Polisi; Dinkes when hurt (assault, robbery with violence).
 * - other → Satpol PP, the city's agency for public order and everything without an owner.
 *   - wild-animal → Damkar: in Indonesia Damkar does animal rescue (snakes, bee and wasp nests).
 *   - fallen-cable → Satpol PP: in Bekasi a fallen cable is nearly always telecom or fibre, which
 *     Satpol PP polices with the operators; a live power line is PLN's (not a siaga112 agency,
 *     the operator calls PLN 123), and sparks or fire make it a fire incident. Dinkes when hurt.
 */
export const DEFAULT_ROUTING_TABLE: RoutingTable = routingTableSchema.parse([
  { category: 'fire', agencies: [AgencyIds.damkar], whenPeopleHurt: [AgencyIds.dinkes] },
  { category: 'traffic', agencies: [AgencyIds.polisi, AgencyIds.dinkes] },
  { category: 'medical', agencies: [AgencyIds.dinkes] },
  { category: 'disaster', agencies: [AgencyIds.bpbd], whenPeopleHurt: [AgencyIds.dinkes] },
  { category: 'disaster', subcategory: 'fallen-tree', agencies: [AgencyIds.bpbd, AgencyIds.damkar], whenPeopleHurt: [AgencyIds.dinkes] },
  { category: 'disaster', subcategory: 'small-landslide', agencies: [AgencyIds.bpbd], whenPeopleHurt: [AgencyIds.dinkes, AgencyIds.damkar] },
  { category: 'crime', agencies: [AgencyIds.polisi], whenPeopleHurt: [AgencyIds.dinkes] },
  { category: 'other', agencies: [AgencyIds.satpolPp], whenPeopleHurt: [AgencyIds.dinkes] },
  { category: 'other', subcategory: 'wild-animal', agencies: [AgencyIds.damkar], whenPeopleHurt: [AgencyIds.dinkes] },
  { category: 'other', subcategory: 'fallen-cable', agencies: [AgencyIds.satpolPp], whenPeopleHurt: [AgencyIds.dinkes] },
] satisfies RoutingTableInput);

export const routingRequestSchema = z.object({
  category: categorySchema,
  subcategory: subcategorySchema.optional(),
  peopleHurt: z.boolean(),
});
export type RoutingRequest = z.infer<typeof routingRequestSchema>;

/**
 * The agencies proposed for an incident, without duplicates, in the row's order (the main agency
 * first). A subcategory the table does not know falls back to its category's row: subcategories
 * are configured separately, and a new one must not leave an incident with nobody to send.
 */
export function agenciesFor(request: RoutingRequest, table: RoutingTable = DEFAULT_ROUTING_TABLE): AgencyId[] {
  const exact = request.subcategory === undefined ? undefined : table.find((row) => rowKey(row) === rowKey(request));
  const row = exact ?? table.find((candidate) => rowKey(candidate) === `${request.category}/`);
  if (!row) return [];
  return [...new Set([...row.agencies, ...(request.peopleHurt ? row.whenPeopleHurt : [])])];
}

/** Agency ids the table names that are not among `known`: an admin's edit is refused while any remain. */
export function unknownAgencies(table: RoutingTable, known: readonly AgencyId[]): AgencyId[] {
  const knownSet = new Set(known);
  return [...new Set(table.flatMap((row) => [...row.agencies, ...row.whenPeopleHurt]))].filter((id) => !knownSet.has(id));
}
