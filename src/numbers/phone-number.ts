/**
 * Normalises an Indonesian phone number to +62 form so the same caller matches however the
 * network presented the number: "0812-3456", "62812...", "+62 812..." all become "+62812...".
 * Anything else (short codes, withheld numbers) is kept as its digits.
 */
export function normaliseNumber(raw: string): string {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/[^0-9]/g, '');
  if (digits.length === 0) return trimmed === '' ? 'unknown' : trimmed.toLowerCase();
  if (trimmed.startsWith('+')) return `+${digits}`;
  if (digits.startsWith('62') && digits.length >= 9) return `+${digits}`;
  if (digits.startsWith('0') && digits.length >= 8) return `+62${digits.slice(1)}`;
  return digits;
}
