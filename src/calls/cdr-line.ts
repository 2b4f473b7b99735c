import { z } from 'zod';

/**
 * One line of Asterisk's cdr_custom JSON file (asterisk-config/cdr_custom.conf). Times are
 * seconds since the epoch; an unanswered call has answer 0.
 */
const cdrLine = z.object({
  uniqueid: z.string().min(1),
  linkedid: z.string().default(''),
  start: z.coerce.number().positive(),
  answer: z.coerce.number().nonnegative().default(0),
  end: z.coerce.number().nonnegative().default(0),
  src: z.string().default(''),
  clid: z.string().default(''),
  dcontext: z.string().default(''),
  disposition: z.string().default(''),
  userfield: z.string().default(''),
  dialled: z.string().default(''),
  /** Set by siaga112's guardian when it continued the caller into the dialplan. */
  handover: z.string().default(''),
});

export type CdrLine = z.infer<typeof cdrLine>;

/** Parses one line; undefined when it is not a well-formed record. */
export function parseCdrLine(line: string): CdrLine | undefined {
  try {
    const parsed = cdrLine.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The caller name from a CDR clid such as `"Budi" <0812...>`; empty when there is none. */
export function callerNameFromClid(clid: string): string {
  const match = /^"(.*)"\s*<[^>]*>$/.exec(clid.trim());
  return match?.[1] ?? '';
}

/** Splits a chunk of the file into complete lines and the bytes of the unfinished last one. */
export function completeLines(chunk: Buffer): { lines: string[]; consumed: number } {
  const lastNewline = chunk.lastIndexOf(0x0a);
  if (lastNewline < 0) return { lines: [], consumed: 0 };
  const text = chunk.subarray(0, lastNewline).toString('utf8');
  return { lines: text.split('\n').filter((line) => line.trim().length > 0), consumed: lastNewline + 1 };
}
