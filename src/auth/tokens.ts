import { createHash, randomBytes } from 'node:crypto';

/** Opaque credential handed to a client; only its SHA-256 is stored. */
export function newSecret(): { secret: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, hash: sha256(secret) };
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
