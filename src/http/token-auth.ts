import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Finds whose token a presented bearer token is, comparing in constant time against every
 * known token (hashed first, so lengths never leak either).
 */
export function tokenOwners(tokens: Record<string, string>): (presented: string) => string | undefined {
  const known = Object.entries(tokens).map(([owner, token]) => ({ owner, digest: sha256(token) }));
  return (presented) => {
    const digest = sha256(presented);
    let match: string | undefined;
    for (const entry of known) if (timingSafeEqual(entry.digest, digest)) match = entry.owner;
    return match;
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
