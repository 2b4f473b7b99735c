import type { Capability } from '../capability.js';
import { lifecycle } from '../capability.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { IvrRepository } from '../db/ivr-repository.js';
import { AnnouncementsRepository } from '../db/announcements-repository.js';
import { adminIvrRoutes } from './routes.js';
import { announcementRoutes } from './announcement-routes.js';
import { promptUploadRoutes } from './prompt-upload-routes.js';
import { AnnouncementService, type AnnouncementInput } from './announcement-service.js';
import { FlowService } from './flow-service.js';
import { PromptUploads } from './prompt-uploads.js';

export interface IvrNeeds {
  db: Db;
  clock: Clock;
  soundsDir: string;
  /** Makes the audio of a mass-call announcement's texts (espeak-ng in the process). */
  prepareAnnouncement: (texts: AnnouncementInput['texts']) => Promise<void>;
  /** Installs an uploaded recording under a prompt's file name (sox in the process). */
  installRecording: (wav: Buffer, base: string) => Promise<void>;
}

/** The IVR capability: flows admins edit, mass-call announcements, uploaded prompts. */
export function createIvr(needs: IvrNeeds) {
  const flows = new FlowService(new IvrRepository(needs.db), needs.clock);
  flows.ensureDefault();
  const announcements = new AnnouncementService(new AnnouncementsRepository(needs.db), needs.clock, needs.prepareAnnouncement);
  const promptUploads = new PromptUploads(flows, needs.soundsDir, needs.installRecording);
  const capability: Capability = {
    name: 'ivr',
    routes: [
      { prefix: '/api/admin', routes: adminIvrRoutes(flows) },
      { prefix: '/api/admin', routes: announcementRoutes(announcements) },
      { prefix: '/api/admin', routes: promptUploadRoutes(promptUploads) },
    ],
    ...lifecycle(() => []),
  };
  return { capability, flows, announcements, promptUploads };
}
