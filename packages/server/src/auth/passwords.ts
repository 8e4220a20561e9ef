// Passwords (for the console's sign-in): hashed with scrypt (RFC 7914), a memory-hard KDF, each with its own salt;
// the parameters are stored with the hash so they can be raised later without invalidating old hashes.

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * N = 2^15, r = 8, p = 1: 128·N·r = 32 MiB of memory and some 100 ms of one core per hash, the interactive-login
 * figures of RFC 7914 §2 scaled to today's hardware; a 16-byte salt and a 32-byte key.
 */
const PARAMETERS = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem above node's 32 MiB default, which 128·N·r reaches exactly.
    scrypt(password, salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = PARAMETERS;
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, N, r, p);
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `password` is the one `stored` was made from; false for a stored value of another shape. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, N, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), Number(N), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}
