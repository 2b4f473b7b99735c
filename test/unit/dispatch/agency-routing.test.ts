import { describe, expect, it } from 'vitest';
import {
  AgencyIds, DEFAULT_AGENCIES, DEFAULT_ROUTING_TABLE, agenciesFor, routingTableSchema, unknownAgencies, type RoutingTableInput,
} from '../../../src/dispatch/agency-routing.js';
import { categorySchema } from '../../../src/ivr/flow-schema.js';

const { bpbd, dinkes, damkar, satpolPp, polisi } = AgencyIds;

describe('default agencies', () => {
  it('given a new centre, then the five agencies have the names operators know', () => {
    expect(DEFAULT_AGENCIES).toEqual([
      { id: 'bpbd', name: 'BPBD Kota Bekasi' },
      { id: 'dinkes', name: 'Dinkes (ambulans)' },
      { id: 'damkar', name: 'Damkar' },
      { id: 'satpol-pp', name: 'Satpol PP' },
      { id: 'polisi', name: 'Polisi (Polri)' },
    ]);
  });

  it('given the default table, then it names only default agencies', () => {
    expect(unknownAgencies(DEFAULT_ROUTING_TABLE, DEFAULT_AGENCIES.map((agency) => agency.id))).toEqual([]);
  });
});

describe('agencies for an incident (default table)', () => {
  const cases: Array<[string, Parameters<typeof agenciesFor>[0], string[]]> = [
    ['a fire, nobody hurt', { category: 'fire', peopleHurt: false }, [damkar]],
    ['a fire with people hurt', { category: 'fire', peopleHurt: true }, [damkar, dinkes]],
    ['a traffic accident, nobody hurt', { category: 'traffic', peopleHurt: false }, [polisi, dinkes]],
    ['a traffic accident with people hurt', { category: 'traffic', peopleHurt: true }, [polisi, dinkes]],
    ['a medical emergency', { category: 'medical', peopleHurt: false }, [dinkes]],
    ['a medical emergency with people hurt', { category: 'medical', peopleHurt: true }, [dinkes]],
    ['a flood, nobody hurt', { category: 'disaster', subcategory: 'flood', peopleHurt: false }, [bpbd]],
    ['a flood with people hurt', { category: 'disaster', subcategory: 'flood', peopleHurt: true }, [bpbd, dinkes]],
    ['a fallen tree, nobody hurt', { category: 'disaster', subcategory: 'fallen-tree', peopleHurt: false }, [bpbd, damkar]],
    ['a fallen tree with people hurt', { category: 'disaster', subcategory: 'fallen-tree', peopleHurt: true }, [bpbd, damkar, dinkes]],
    ['a small landslide, nobody hurt', { category: 'disaster', subcategory: 'small-landslide', peopleHurt: false }, [bpbd]],
    ['a small landslide with people hurt', { category: 'disaster', subcategory: 'small-landslide', peopleHurt: true }, [bpbd, dinkes, damkar]],
    ['a crime, nobody hurt', { category: 'crime', peopleHurt: false }, [polisi]],
    ['a crime with people hurt', { category: 'crime', peopleHurt: true }, [polisi, dinkes]],
    ['something else', { category: 'other', peopleHurt: false }, [satpolPp]],
    ['something else with people hurt', { category: 'other', peopleHurt: true }, [satpolPp, dinkes]],
    ['a wild animal', { category: 'other', subcategory: 'wild-animal', peopleHurt: false }, [damkar]],
    ['a wild animal that hurt someone', { category: 'other', subcategory: 'wild-animal', peopleHurt: true }, [damkar, dinkes]],
    ['a fallen cable', { category: 'other', subcategory: 'fallen-cable', peopleHurt: false }, [satpolPp]],
    ['a fallen cable that hurt someone', { category: 'other', subcategory: 'fallen-cable', peopleHurt: true }, [satpolPp, dinkes]],
  ];
  for (const [what, request, expected] of cases) {
    it(`given ${what}, then ${expected.join(' + ')} are proposed`, () => {
      expect(agenciesFor(request)).toEqual(expected);
    });
  }

  it('given a subcategory the table does not know, then its category row applies', () => {
    expect(agenciesFor({ category: 'fire', subcategory: 'market-fire', peopleHurt: true })).toEqual([damkar, dinkes]);
  });

  it('given every IVR category, then somebody is always proposed', () => {
    for (const category of categorySchema.options) expect(agenciesFor({ category, peopleHurt: false }).length).toBeGreaterThan(0);
  });
});

describe('routing table validation', () => {
  const base: RoutingTableInput = categorySchema.options.map((category) => ({ category, agencies: [satpolPp] }));

  it('given a table where an admin sends Basarnas to landslides, then it is accepted and used', () => {
    const table = routingTableSchema.parse([...base, { category: 'disaster', subcategory: 'small-landslide', agencies: ['basarnas', bpbd] }]);
    expect(agenciesFor({ category: 'disaster', subcategory: 'small-landslide', peopleHurt: true }, table)).toEqual(['basarnas', bpbd]);
    expect(unknownAgencies(table, DEFAULT_AGENCIES.map((agency) => agency.id))).toEqual(['basarnas']);
  });

  it('given a table missing a category row, then it is rejected naming the category', () => {
    const result = routingTableSchema.safeParse(base.filter((row) => row.category !== 'crime'));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toContain('category crime has no row without subcategory');
  });

  it('given a table with the same row twice, then it is rejected', () => {
    const result = routingTableSchema.safeParse([...base, { category: 'other', subcategory: 'wild-animal', agencies: [damkar] }, { category: 'other', subcategory: 'wild-animal', agencies: [satpolPp] }]);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['other/wild-animal appears twice']);
  });

  it('given a row sending nobody, an unknown category or a badly written agency id, then it is rejected', () => {
    expect(routingTableSchema.safeParse([...base, { category: 'fire', subcategory: 'x', agencies: [] }]).success).toBe(false);
    expect(routingTableSchema.safeParse([...base, { category: 'flood', agencies: [bpbd] }]).success).toBe(false);
    expect(routingTableSchema.safeParse([...base, { category: 'fire', subcategory: 'x', agencies: ['Damkar Kota'] }]).success).toBe(false);
  });
});
