// MD5 message digest in pure TypeScript (RFC 1321), for HTTP digest authentication where node:crypto is not allowed.
import { padToBlocks } from './merkle-damgard-padding.js';

/** Per-round left-rotation amounts (RFC 1321 §3.4, rounds 1–4). */
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/** T[i] = floor(2^32 * |sin(i + 1)|) (RFC 1321 §3.4). */
const SINES = Uint32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000));

/** The 16-octet MD5 digest of `message`. */
export function md5(message: Uint8Array): Uint8Array {
  const padded = padToBlocks(message, true);
  const view = new DataView(padded.buffer);
  // RFC 1321 §3.3: initial state A, B, C, D.
  const state = Uint32Array.of(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476);
  const x = new Uint32Array(16);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) x[i] = view.getUint32(block + i * 4, true);
    let [a, b, c, d] = state;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      // RFC 1321 §3.4: the four auxiliary functions F, G, H, I and the word order of each round.
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (b & d) | (c & ~d);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const sum = (a + f + SINES[i] + x[g]) >>> 0;
      const shift = SHIFTS[(i >> 4) * 4 + (i % 4)];
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) >>> 0;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
  }
  const digest = new Uint8Array(16);
  const out = new DataView(digest.buffer);
  for (let i = 0; i < 4; i++) out.setUint32(i * 4, state[i], true);
  return digest;
}
