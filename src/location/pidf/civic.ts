import { civicAddressSchema, ok, refused, type CivicAddress, type ParseResult } from '../../geo/fix.js';

/**
 * RFC 5139 civic address elements, shared by the XML civicAddress and Asterisk's civic
 * location_info. The element names are the CivicAddress schema's own keys; `text` is the
 * operator's free text, not an RFC 5139 element, so no sender can set it.
 */
export const CIVIC_ELEMENTS = civicAddressSchema.keyof().options.filter((key) => key !== 'text');
const CIVIC_ELEMENT_SET: ReadonlySet<string> = new Set(CIVIC_ELEMENTS);

/** The reason for a civic address with nothing we keep. */
export const EMPTY_CIVIC_REASON = 'civicAddress has none of country, A1..A6, RD, HNO, HNS, LMK, LOC, FLR, NAM, PC';

/**
 * A civic address from (element name, text) pairs. Elements we do not keep (PRD, STS, BLD, UNIT...)
 * and empty ones are skipped; the first of a repeated element wins. Null when nothing is left.
 * A value longer than the schema allows is refused with the element's name.
 */
export function civicFromElements(elements: Iterable<readonly [string, string]>): ParseResult<CivicAddress | null> {
  const civic = new Map<string, string>();
  for (const [name, text] of elements) {
    const value = text.trim();
    if (!CIVIC_ELEMENT_SET.has(name) || civic.has(name) || value === '') continue;
    civic.set(name, value);
  }
  if (civic.size === 0) return ok(null);
  const checked = civicAddressSchema.safeParse(Object.fromEntries(civic));
  if (checked.success) return ok(checked.data);
  const issue = checked.error.issues[0];
  const element = String(issue?.path[0] ?? 'element');
  if (issue?.code === 'too_big') return refused(`civicAddress ${element} is longer than ${String(issue.maximum)} characters`);
  return refused(`civicAddress ${element} is invalid: ${issue?.message ?? 'unknown problem'}`);
}
