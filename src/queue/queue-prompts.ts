import type { Language } from '../ivr/flow-schema.js';
import { promptSoundName } from '../ivr/prompt-files.js';
import type { WaitAnnouncement } from './wait-estimate.js';

/** Positions said as a number; further back the caller hears "many callers ahead". */
const MAX_SPOKEN_POSITION = 10;
const MAX_SPOKEN_MINUTES = 10;

type Texts = Record<Language, string>;

function positionText(n: number): Texts {
  return { id: `Anda berada di antrean nomor ${n}.`, en: `You are number ${n} in the queue.` };
}

function minutesText(n: number): Texts {
  return n === 1
    ? { id: 'Perkiraan waktu tunggu sekitar satu menit.', en: 'The expected wait is about one minute.' }
    : { id: `Perkiraan waktu tunggu sekitar ${n} menit.`, en: `The expected wait is about ${n} minutes.` };
}

/** Every queue announcement prompt, by id, in both languages (generated like IVR prompts). */
export function queuePrompts(): Record<string, Texts> {
  const prompts: Record<string, Texts> = {
    'queue-position-many': { id: 'Masih banyak penelepon sebelum Anda.', en: 'There are more than ten callers ahead of you.' },
    'queue-wait-less': { id: 'Perkiraan waktu tunggu kurang dari satu menit.', en: 'The expected wait is less than a minute.' },
    'queue-wait-long': { id: 'Perkiraan waktu tunggu lebih dari sepuluh menit.', en: 'The expected wait is more than ten minutes.' },
    'queue-stay': {
      id: 'Mohon tetap di saluran, petugas kami akan segera menjawab.',
      en: 'Please stay on the line, an operator will answer you shortly.',
    },
  };
  for (let n = 1; n <= MAX_SPOKEN_POSITION; n += 1) prompts[`queue-position-${n}`] = positionText(n);
  for (let n = 1; n <= MAX_SPOKEN_MINUTES; n += 1) prompts[`queue-wait-${n}`] = minutesText(n);
  return prompts;
}

/**
 * The media a waiting caller hears: position, expected wait (worded as an estimate, never a
 * promise), and a request to stay on the line.
 */
export function announcementMedia(language: string, announcement: WaitAnnouncement): string[] {
  const lang: Language = language === 'en' ? 'en' : 'id';
  const prompts = queuePrompts();
  const sound = (id: string) => `sound:${promptSoundName(id, prompts[id]![lang], lang)}`;
  const media = [sound(announcement.position <= MAX_SPOKEN_POSITION ? `queue-position-${announcement.position}` : 'queue-position-many')];
  if (announcement.phrasing === 'less-than-a-minute') media.push(sound('queue-wait-less'));
  else if (announcement.phrasing === 'about' && announcement.expectedMinutes !== null) {
    media.push(sound(announcement.expectedMinutes <= MAX_SPOKEN_MINUTES ? `queue-wait-${announcement.expectedMinutes}` : 'queue-wait-long'));
  }
  media.push(sound('queue-stay'));
  return media;
}
