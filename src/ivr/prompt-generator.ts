import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Flow, Language } from './flow-schema.js';
import { PROMPT_FORMATS, promptFileBase } from './prompt-files.js';

const run = promisify(execFile);

/** espeak-ng voices: Indonesian and English. */
const VOICES: Record<Language, string> = { id: 'id', en: 'en' };

export interface GeneratedPrompt {
  language: Language;
  promptId: string;
  file: string;
  created: boolean;
}

/**
 * Speaks every prompt of the flows in each of their languages with espeak-ng and converts it
 * with sox to 8 kHz mono G.711 (.alaw, .ulaw). Existing files are kept: an admin's uploaded
 * recording replaces a generated one under the same name.
 */
export async function generatePrompts(flows: Array<Pick<Flow, 'prompts' | 'languages'>>, soundsDir: string): Promise<GeneratedPrompt[]> {
  const work = await mkdtemp(join(tmpdir(), 'siaga112-prompts-'));
  const results: GeneratedPrompt[] = [];
  try {
    for (const flow of flows) {
      for (const [promptId, texts] of Object.entries(flow.prompts)) {
        for (const language of flow.languages) {
          const text = texts[language];
          if (!text) continue;
          const base = promptFileBase(soundsDir, language, promptId, text);
          const missing = await anyMissing(base);
          if (missing) await speak(text, language, base, work);
          results.push({ language, promptId, file: base, created: missing });
        }
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return results;
}

async function anyMissing(base: string): Promise<boolean> {
  for (const format of PROMPT_FORMATS) {
    try {
      await access(`${base}.${format}`);
    } catch {
      return true;
    }
  }
  return false;
}

async function speak(text: string, language: Language, base: string, work: string): Promise<void> {
  const wav = join(work, 'prompt.wav');
  // 170 words a minute: clear, and keeps the default flow under 15 s for a caller who is silent.
  await run('espeak-ng', ['-v', VOICES[language], '-s', '170', '-w', wav, text]);
  await mkdir(dirname(base), { recursive: true });
  for (const format of PROMPT_FORMATS) {
    const type = format === 'alaw' ? 'al' : 'ul';
    // Leading and trailing silence trimmed: every 100 ms counts before an operator answers.
    await run('sox', [wav, '-r', '8000', '-c', '1', '-t', type, `${base}.${format}`,
      'silence', '1', '0.02', '0.5%', 'reverse', 'silence', '1', '0.02', '0.5%', 'reverse']);
  }
}

/** Installs an uploaded WAV recording (already checked) as a prompt's .alaw and .ulaw files. */
export async function installRecording(wav: Buffer, base: string): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'siaga112-upload-'));
  try {
    const input = join(work, 'upload.wav');
    await writeFile(input, wav);
    await mkdir(dirname(base), { recursive: true });
    for (const format of PROMPT_FORMATS) {
      await run('sox', [input, '-r', '8000', '-c', '1', '-t', format === 'alaw' ? 'al' : 'ul', `${base}.${format}`]);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
