import { DomainError } from '../errors.js';
import type { Language } from './flow-schema.js';
import type { FlowService } from './flow-service.js';
import { promptFileBase, promptSoundName } from './prompt-files.js';
import { checkPromptWav } from './wav-check.js';

export interface UploadedPrompt {
  flowId: string;
  promptId: string;
  language: Language;
  sound: string;
  durationMs: number;
}

/**
 * Admins replace a generated prompt with a recording. The file is checked first (8 kHz mono,
 * PCM or G.711, at most 30 s) and refused with every problem named; only then installed, under
 * the name calls already use for that prompt's current text.
 */
export class PromptUploads {
  constructor(
    private readonly flows: FlowService,
    private readonly soundsDir: string,
    private readonly install: (wav: Buffer, base: string) => Promise<void>,
  ) {}

  async upload(flowId: string, promptId: string, language: Language, file: Buffer): Promise<UploadedPrompt> {
    const flow = this.flows.activeFlow(flowId);
    if (!flow) throw new DomainError(404, 'flow-not-found', `no active flow ${flowId}`);
    const text = flow.prompts[promptId]?.[language];
    if (!text) throw new DomainError(404, 'prompt-not-found', `the active ${flowId} has no ${language} prompt ${promptId}`);
    const { info, problems } = checkPromptWav(file);
    if (!info || problems.length > 0) throw new DomainError(422, 'invalid-audio', `recording refused: ${problems.join('; ')}`, problems);
    await this.install(file, promptFileBase(this.soundsDir, language, promptId, text));
    return { flowId, promptId, language, sound: `sound:${promptSoundName(promptId, text, language)}`, durationMs: info.durationMs };
  }
}
