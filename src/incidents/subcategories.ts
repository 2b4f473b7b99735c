import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { IncidentsRepository } from '../db/incidents-repository.js';
import { subcategorySchema } from '../dispatch/agency-routing.js';
import { DomainError } from '../errors.js';
import { type Category, categorySchema } from '../ivr/flow-schema.js';

/** What a new centre starts with: the seed's common reports under each of the IVR's categories. */
export const DEFAULT_SUBCATEGORIES: Record<Category, string[]> = {
  traffic: ['collision', 'motorcycle', 'pedestrian-hit'],
  fire: ['house-fire', 'market-fire', 'vehicle-fire', 'land-fire'],
  medical: ['unconscious', 'breathing', 'injury', 'childbirth'],
  disaster: ['flood', 'fallen-tree', 'small-landslide'],
  crime: ['theft', 'assault', 'brawl'],
  other: ['wild-animal', 'fallen-cable'],
};

const listColumn = z.array(subcategorySchema);

/** Subcategories per category as admins configure them (the defaults until they do). */
export class Subcategories {
  constructor(private readonly repo: IncidentsRepository, private readonly clock: Clock) {}

  all(): Record<Category, string[]> {
    const stored = new Map(this.repo.subcategories().map((row) => [row.category, listColumn.parse(JSON.parse(row.subcategories))]));
    return Object.fromEntries(categorySchema.options.map((category) => [category, stored.get(category) ?? DEFAULT_SUBCATEGORIES[category]])) as Record<Category, string[]>;
  }

  /** Replaces the lists given; categories not named keep theirs. */
  replace(lists: Partial<Record<Category, string[]>>, by: string): Record<Category, string[]> {
    const next = { ...this.all(), ...lists };
    const at = this.clock.now();
    this.repo.replaceSubcategories(Object.entries(next).map(([category, list]) => ({ category, subcategories: JSON.stringify(list), updatedAt: at, updatedBy: by })));
    return this.all();
  }

  /** Refuses a subcategory the category does not have (a typo would hide the incident from reports). */
  check(category: Category, subcategory: string | null | undefined): void {
    if (subcategory === null || subcategory === undefined) return;
    const known = this.all()[category];
    if (!known.includes(subcategory)) throw new DomainError(400, 'unknown-subcategory', `${category} has no subcategory ${subcategory}; known: ${known.join(', ')}`);
  }
}
