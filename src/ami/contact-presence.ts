import { z } from 'zod';
import type { Logger } from '../log.js';
import type { AmiClient, AmiMessage } from './ami-client.js';

/** A PJSIP AOR's reachability as Asterisk last reported it. */
export const contactStateSchema = z.object({
  aor: z.string().describe('PJSIP AOR, e.g. op001'),
  status: z.string().describe('Reachable, Unreachable, Created, Unknown ...'),
  uri: z.string(),
  updatedAt: z.number(),
});
export type ContactState = z.infer<typeof contactStateSchema>;

/**
 * Operator presence from PJSIP contact status: a full list (PJSIPShowContacts) whenever AMI
 * (re)connects, then ContactStatus events. Asterisk qualifies each operator AOR (OPTIONS every
 * qualify_frequency), so "Reachable" means the softphone answered recently; an AOR with no
 * contact is absent, i.e. not registered.
 */
export class ContactPresence {
  /**
   * By AOR and contact URI: a softphone that restarts on a new port registers its new contact
   * before Asterisk removes the old one (remove_existing), so "Removed" must only drop that one.
   */
  private readonly contacts = new Map<string, ContactState>();
  private readonly listeners = new Set<(aor: string) => void>();

  constructor(private readonly ami: AmiClient, private readonly log: Logger, private readonly now: () => number = Date.now) {
    ami.on('up', () => void this.refresh());
    ami.on('event', (message) => this.onEvent(message));
  }

  /** True when the AOR has a contact that answered its last qualify. */
  isReachable(aor: string): boolean {
    for (const contact of this.contacts.values()) if (contact.aor === aor && contact.status === 'Reachable') return true;
    return false;
  }

  /** Called whenever an AOR's reachability may have changed (a softphone came or went). */
  onChange(listener: (aor: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): ContactState[] {
    return [...this.contacts.values()].sort((a, b) => a.aor.localeCompare(b.aor) || a.uri.localeCompare(b.uri));
  }

  async refresh(): Promise<void> {
    try {
      const items = await this.ami.list({ action: 'PJSIPShowContacts' });
      this.contacts.clear();
      for (const item of items) {
        // ContactList names the contact "<aor>;@<hash>" and carries no Aor field.
        const aor = text(item.aor) || text(item.objectname).split(';@')[0] || '';
        const uri = text(item.uri);
        if (aor) this.contacts.set(key(aor, uri), { aor, status: text(item.status) || 'Unknown', uri, updatedAt: this.now() });
      }
      this.notify('*');
    } catch (error) {
      // Asterisk answers an empty list with an error response.
      if (error instanceof Error && error.message.includes('No Contacts found')) {
        this.contacts.clear();
        this.notify('*');
        return;
      }
      this.log.warn({ err: String(error) }, 'could not list PJSIP contacts');
    }
  }

  private onEvent(message: AmiMessage): void {
    if (text(message.event) !== 'ContactStatus') return;
    const aor = text(message.aor);
    const status = text(message.contactstatus);
    if (!aor) return;
    if (status === 'Removed') {
      const uri = text(message.uri);
      // Without a URI, the AOR's contacts are all gone.
      for (const [k, contact] of this.contacts) if (contact.aor === aor && (!uri || contact.uri === uri)) this.contacts.delete(k);
    } else {
      this.contacts.set(key(aor, text(message.uri)), { aor, status, uri: text(message.uri), updatedAt: this.now() });
    }
    this.log.info({ aor, status }, 'contact status');
    this.notify(aor);
  }

  private notify(aor: string): void {
    for (const listener of this.listeners) {
      try {
        listener(aor);
      } catch (error) {
        this.log.error({ err: String(error) }, 'presence listener failed');
      }
    }
  }
}

function key(aor: string, uri: string): string {
  return `${aor} ${uri}`;
}

function text(value: AmiMessage[string]): string {
  return typeof value === 'string' ? value : '';
}
