import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { tokenDigest } from '../auth/credentials.js';
import { agencyPrincipal, type Principal } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import type { AgenciesRepository, AgencyRow } from '../db/agencies-repository.js';
import { DomainError } from '../errors.js';
import { type AgencyId, agenciesFor, DEFAULT_AGENCIES, DEFAULT_ROUTING_TABLE, type RoutingRequest, type RoutingTable } from './agency-routing.js';
import {
  type AgencyCreate, agencyNumberSchema, agencyServesSchema, type AgencyServes, type AgencyUpdate, type AgencyView, RoutingIncomplete, routingTableOf,
} from './agency-schemas.js';
import type { SecretBox } from './secret-box.js';

/** The desks a new centre starts with (Indonesia's national numbers where there is one). */
const DEFAULT_NUMBERS: Record<string, string[]> = {
  bpbd: ['0218801234'], dinkes: ['118', '119'], damkar: ['113'], 'satpol-pp': ['0218805678'], polisi: ['110'],
};

/** What each default agency serves, read off the default routing table (one truth for both). */
function defaultServes(agencyId: string): AgencyServes[] {
  return DEFAULT_ROUTING_TABLE.flatMap<AgencyServes>((row) => {
    const base = { category: row.category, ...(row.subcategory ? { subcategory: row.subcategory } : {}) };
    if (row.agencies.includes(agencyId)) return [{ ...base, onlyWhenHurt: false }];
    if (row.whenPeopleHurt.includes(agencyId)) return [{ ...base, onlyWhenHurt: true }];
    return [];
  });
}

const numbersColumn = z.array(agencyNumberSchema);
const servesColumn = z.array(agencyServesSchema);

export interface AgencyRecord {
  id: AgencyId;
  name: string;
  numbers: string[];
  serves: AgencyServes[];
  webhookUrl: string | null;
  hasSigningKey: boolean;
  updatedAt: number;
  updatedBy: string;
}

function recordOf(row: AgencyRow): AgencyRecord {
  // Written by this class through the same schemas: parsed back, never cast.
  return {
    id: row.id, name: row.name, numbers: numbersColumn.parse(JSON.parse(row.numbers)), serves: servesColumn.parse(JSON.parse(row.serves)),
    webhookUrl: row.webhookUrl, hasSigningKey: row.signingKeySealed !== null, updatedAt: row.updatedAt, updatedBy: row.updatedBy,
  };
}

export const viewOfAgency = (agency: AgencyRecord): AgencyView => ({ ...agency, updatedAt: new Date(agency.updatedAt).toISOString() });

/**
 * The agencies as data admins edit: who they are, the numbers a transfer dials, what they serve
 * (from which the routing table is derived), where their webhooks go with the key that signs
 * them, and the tokens their own systems call the API with.
 */
export class AgencyDirectory {
  constructor(private readonly repo: AgenciesRepository, private readonly clock: Clock, private readonly secrets: SecretBox | null) {}

  /** A new database gets the five agencies of Kota Bekasi; an existing one is left as admins made it. */
  seed(): void {
    const at = this.clock.now();
    this.repo.seedIfEmpty(DEFAULT_AGENCIES.map((agency, position) => ({
      id: agency.id, name: agency.name, numbers: JSON.stringify(DEFAULT_NUMBERS[agency.id] ?? []), serves: JSON.stringify(defaultServes(agency.id)),
      position, updatedAt: at, updatedBy: 'seed',
    })));
  }

  list(): AgencyRecord[] {
    return this.repo.all().map(recordOf);
  }

  get(id: string): AgencyRecord {
    const row = this.repo.find(id);
    if (!row) throw new DomainError(404, 'agency-not-found', `no agency ${id}`);
    return recordOf(row);
  }

  /** The number a transfer to the agency dials (its first), or undefined for an agency without one. */
  numberOf(id: string): string | undefined {
    const row = this.repo.find(id);
    return row ? recordOf(row).numbers[0] : undefined;
  }

  routing(): RoutingTable {
    return routingTableOf(this.list());
  }

  /** The agencies proposed for an incident; the operator may add or remove any. */
  propose(request: RoutingRequest): AgencyId[] {
    return agenciesFor(request, this.routing());
  }

  /** Adds an agency; a webhook without a key gets one, returned this once. */
  create(input: AgencyCreate, by: string): { agency: AgencyRecord; signingKey?: string } {
    if (this.repo.find(input.id)) throw new DomainError(409, 'agency-exists', `agency ${input.id} exists; change it with PATCH`);
    const signingKey = input.webhookUrl ? this.newSigningKey(input.id) : undefined;
    this.checked(() => this.repo.insert({
      id: input.id, name: input.name, numbers: JSON.stringify(input.numbers), serves: JSON.stringify(input.serves), webhookUrl: input.webhookUrl,
      signingKeySealed: signingKey?.sealed ?? null, position: this.repo.nextPosition(), updatedAt: this.clock.now(), updatedBy: by,
    }));
    return { agency: this.get(input.id), ...(signingKey ? { signingKey: signingKey.key } : {}) };
  }

  /** Changes the fields given; the first webhook of an agency without a key creates one. */
  update(id: string, change: AgencyUpdate, by: string): { agency: AgencyRecord; signingKey?: string } {
    const current = this.get(id);
    const signingKey = change.webhookUrl && !current.hasSigningKey ? this.newSigningKey(id) : undefined;
    this.checked(() => this.repo.update(id, {
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.numbers !== undefined ? { numbers: JSON.stringify(change.numbers) } : {}),
      ...(change.serves !== undefined ? { serves: JSON.stringify(change.serves) } : {}),
      ...(change.webhookUrl !== undefined ? { webhookUrl: change.webhookUrl } : {}),
      ...(signingKey ? { signingKeySealed: signingKey.sealed } : {}),
      updatedAt: this.clock.now(), updatedBy: by,
    }));
    return { agency: this.get(id), ...(signingKey ? { signingKey: signingKey.key } : {}) };
  }

  /** A fresh signing key replaces the old one at once (the agency updates its receiver with it). */
  rotateSigningKey(id: string, by: string): { agency: AgencyRecord; signingKey: string } {
    this.get(id);
    const signingKey = this.newSigningKey(id);
    this.repo.update(id, { signingKeySealed: signingKey.sealed, updatedAt: this.clock.now(), updatedBy: by });
    return { agency: this.get(id), signingKey: signingKey.key };
  }

  /** The key webhooks to the agency are signed with, or null when it has none. */
  signingKeyOf(id: string): string | null {
    const sealed = this.repo.find(id)?.signingKeySealed ?? null;
    if (sealed === null || !this.secrets) return null;
    return this.secrets.open(sealed, id);
  }

  /** A new API token for the agency's own system, returned this once (the database keeps its digest). */
  issueToken(id: string, by: string): string {
    this.get(id);
    const token = `agency_${randomBytes(24).toString('base64url')}`;
    this.repo.addToken(id, tokenDigest(token), this.clock.now(), by);
    return token;
  }

  /** Revokes every token of the agency; returns how many were live. */
  revokeTokens(id: string): number {
    this.get(id);
    return this.repo.revokeTokens(id, this.clock.now());
  }

  /** The agency a stored token digest belongs to (for the credential resolver). */
  principalOfDigest(digestHex: string): Principal | null {
    const agencyId = this.repo.agencyOfToken(digestHex);
    return agencyId ? agencyPrincipal(agencyId) : null;
  }

  private newSigningKey(agencyId: string): { key: string; sealed: string } {
    if (!this.secrets) throw new DomainError(503, 'secrets-key-missing', 'webhook signing keys need SIAGA112_SECRETS_KEY set (32 bytes: 64 hex characters or base64)');
    const key = randomBytes(32).toString('base64url');
    // Bound to the agency id: a sealed key copied onto another agency's row does not open.
    return { key, sealed: this.secrets.seal(key, agencyId) };
  }

  private checked(write: () => void): void {
    try {
      this.repo.changeChecked(write, (rows) => routingTableOf(rows.map(recordOf)));
    } catch (error) {
      if (error instanceof RoutingIncomplete) {
        throw new DomainError(409, 'routing-incomplete', `this change would leave incidents with nobody to send: ${error.message}`, { problems: error.problems });
      }
      throw error;
    }
  }
}
