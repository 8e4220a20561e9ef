// API keys: `faxd_<id>_<secret>`. The id is public and indexes the store, so a key is checked by one lookup and one
// hash, never by scanning every stored hash; only the secret's hash is kept, so a key is shown once, when made.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY_PATTERN = /^faxd_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** A key as made: the text handed to the user once, and what the store keeps of it. */
export interface NewApiKey {
  readonly key: string;
  readonly id: string;
  readonly secretHash: string;
}

/**
 * SHA-256 of the secret, hex. A fast hash is enough here, unlike for passwords: the secret is 256 random bits, so
 * there is no dictionary to slow down, and every API request pays for this check.
 */
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function makeApiKey(): NewApiKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `faxd_${id}_${secret}`, id, secretHash: hashSecret(secret) };
}

/** The id and secret of `text` if it has the shape of a key; undefined for anything else (a token, garbage). */
export function parseApiKey(text: string): { id: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(text);
  return match ? { id: match[1] as string, secret: match[2] as string } : undefined;
}

/** Whether `secret` hashes to `secretHash`, compared in constant time. */
export function secretMatches(secret: string, secretHash: string): boolean {
  return constantTimeEqual(hashSecret(secret), secretHash);
}

/** String equality whose time does not depend on where the strings first differ (the administrator token too). */
export function constantTimeEqual(a: string, b: string): boolean {
  const [x, y] = [createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest()];
  return timingSafeEqual(x, y);
}
