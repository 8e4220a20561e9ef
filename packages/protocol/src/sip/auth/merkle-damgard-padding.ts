// The message padding MD5 and SHA-256 share (RFC 1321 §3.1–3.2, FIPS 180-4 §5.1.1): 0x80, zeros to 56 mod 64, then
// the message length in bits as a 64-bit integer, little-endian for MD5 and big-endian for SHA-256.

/** `message` padded to whole 64-octet blocks, with its bit length in the byte order the hash reads words in. */
export function padToBlocks(message: Uint8Array, littleEndian: boolean): Uint8Array {
  const length = Math.ceil((message.length + 9) / 64) * 64;
  const padded = new Uint8Array(length);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bits = message.length * 8;
  const [low, high] = [bits >>> 0, Math.floor(bits / 0x100000000)];
  view.setUint32(length - 8, littleEndian ? low : high, littleEndian);
  view.setUint32(length - 4, littleEndian ? high : low, littleEndian);
  return padded;
}
