// SHA-256 message digest in pure TypeScript (FIPS 180-4 §6.2), for HTTP digest authentication (RFC 7616, RFC 8760).
import { padToBlocks } from './merkle-damgard-padding.js';

/** The first 64 primes, whose roots give the constants below. */
const PRIMES: number[] = [];
for (let n = 2; PRIMES.length < 64; n++) if (PRIMES.every((p) => n % p !== 0)) PRIMES.push(n);

/** The first 32 bits of the fractional part of x (double precision holds them exactly for these roots). */
const fraction32 = (x: number) => Math.floor((x - Math.floor(x)) * 0x100000000);

/** K: the fractional parts of the cube roots of the first 64 primes (FIPS 180-4 §4.2.2). */
const K = Uint32Array.from(PRIMES, (p) => fraction32(Math.cbrt(p)));

/** H(0): the fractional parts of the square roots of the first 8 primes (FIPS 180-4 §5.3.3). */
const H0 = Uint32Array.from(PRIMES.slice(0, 8), (p) => fraction32(Math.sqrt(p)));

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** The 32-octet SHA-256 digest of `message`. */
export function sha256(message: Uint8Array): Uint8Array {
  const padded = padToBlocks(message, false);
  const view = new DataView(padded.buffer);
  const hash = H0.slice();
  const w = new Uint32Array(64);
  for (let block = 0; block < padded.length; block += 64) {
    // FIPS 180-4 §6.2.2 step 1: the message schedule.
    for (let t = 0; t < 16; t++) w[t] = view.getUint32(block + t * 4);
    for (let t = 16; t < 64; t++) {
      const s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
      const s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    let [a, b, c, d, e, f, g, h] = hash;
    // Step 3: 64 rounds of Ch, Maj, Σ0 and Σ1.
    for (let t = 0; t < 64; t++) {
      const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    // Step 4: the intermediate hash value (Uint32Array stores reduce modulo 2^32).
    hash[0] += a;
    hash[1] += b;
    hash[2] += c;
    hash[3] += d;
    hash[4] += e;
    hash[5] += f;
    hash[6] += g;
    hash[7] += h;
  }
  const digest = new Uint8Array(32);
  const out = new DataView(digest.buffer);
  for (let i = 0; i < 8; i++) out.setUint32(i * 4, hash[i]);
  return digest;
}
