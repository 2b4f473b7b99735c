import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { AnnouncementsRepository } from '../db/announcements-repository.js';
import { DomainError } from '../errors.js';
import { languageSchema } from './flow-schema.js';

export const announcementInput = z.object({
  texts: z.partialRecord(languageSchema, z.string().min(1).max(300)).refine((t) => t.id !== undefined, { message: 'an Indonesian (id) text is required' }),
  key: z.string().regex(/^[0-9]$/, 'one key, 0-9'),
  eventTag: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'lower-case words with dashes, e.g. fire-jatiasih'),
});
export type AnnouncementInput = z.infer<typeof announcementInput>;

/** An announcement as stored: what was switched on, its id, and when. */
export const announcementSchema = z.object({ id: z.number().int(), ...announcementInput.shape, startedAt: z.number() });
export type Announcement = z.infer<typeof announcementSchema>;

/**
 * Mass-call announcements ("if you are calling about the fire in Jatiasih, press 1"): played at
 * the start of every new call while active; the key tags the call to the event. Stored, so an
 * active announcement survives a restart; switching needs no restart. `prepare` makes the audio
 * exist before the announcement goes live.
 */
export class AnnouncementService {
  constructor(private readonly repo: AnnouncementsRepository, private readonly clock: Clock, private readonly prepare: (texts: AnnouncementInput['texts']) => Promise<void>) {}

  current(): Announcement | undefined {
    const row = this.repo.active();
    if (!row) return undefined;
    // Stored as JSON by start(): read back through its schema, never cast.
    return { id: row.id, texts: announcementInput.shape.texts.parse(JSON.parse(row.texts)), key: row.key, eventTag: row.eventTag, startedAt: row.startedAt };
  }

  /** Switches an announcement on (replacing any active one) once its audio is ready. */
  async start(input: AnnouncementInput): Promise<Announcement> {
    try {
      await this.prepare(input.texts);
    } catch (error) {
      throw new DomainError(503, 'announcement-audio-failed', 'could not prepare the announcement audio', undefined, { cause: error });
    }
    this.repo.replaceActive({ texts: JSON.stringify(input.texts), key: input.key, eventTag: input.eventTag, startedAt: this.clock.now() });
    return this.current()!;
  }

  /** Switches the active announcement off; false when none was active. */
  stop(): boolean {
    const active = this.current();
    if (!active) return false;
    this.repo.end(active.id, this.clock.now());
    return true;
  }
}
