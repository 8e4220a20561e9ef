import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encodeHdlcBurst, HdlcDeframer, HdlcFramer, stuffFrame } from './bit-stuffing.js';
import { appendFcs } from './fcs.js';

const FLAG = [0, 1, 1, 1, 1, 1, 1, 0];

function bitsToString(bits: Uint8Array): string {
  return [...bits].join('');
}

function longestRunOfOnes(bits: Uint8Array): number {
  let longest = 0;
  let run = 0;
  for (const bit of bits) {
    run = bit ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

describe('HDLC bit stuffing', () => {
  it('inserts a 0 after every five ones and never lets six ones through', () => {
    const frame = Uint8Array.of(0xff, 0xff, 0x7e);
    const withFcs = appendFcs(frame);
    const bits = stuffFrame(frame);
    assert.ok(bitsToString(bits).startsWith('111110111110111110'));
    assert.ok(longestRunOfOnes(bits) <= 5);
    assert.ok(bits.length > withFcs.length * 8);
  });

  it('frames a burst with flags and recovers the frames with good FCS', () => {
    const frames = [Uint8Array.of(0xff, 0xc0, 0x02, 0x20), Uint8Array.of(0xff, 0xc8, 0x01, 0x00, 0x77, 0x1f)];
    const bits = encodeHdlcBurst(frames, 3);
    assert.deepEqual([...bits.subarray(0, 24)], [...FLAG, ...FLAG, ...FLAG]);
    const received = new HdlcDeframer().receive(bits);
    assert.deepEqual(
      received.map((f) => [[...f.bytes], f.fcsOk]),
      frames.map((f) => [[...f], true]),
    );
  });

  it('reports a damaged frame with fcsOk false', () => {
    const bits = encodeHdlcBurst([Uint8Array.of(0xff, 0xc8, 0x21)]);
    bits[8 + 20] ^= 1;
    const received = new HdlcDeframer().receive(bits);
    assert.equal(received.length, 1);
    assert.equal(received[0].fcsOk, false);
  });

  it('discards a frame cut by an abort (seven ones)', () => {
    const good = encodeHdlcBurst([Uint8Array.of(0xff, 0xc8, 0x31)]);
    const aborted = Uint8Array.of(
      ...FLAG,
      ...stuffFrame(Uint8Array.of(0xff, 0xc0, 0x02)).subarray(0, 12),
      1,
      1,
      1,
      1,
      1,
      1,
      1,
    );
    const received = new HdlcDeframer().receive(Uint8Array.of(...aborted, ...good));
    assert.deepEqual(
      received.map((f) => [...f.bytes]),
      [[0xff, 0xc8, 0x31]],
    );
  });

  it('ignores flags shared by a 0, runs of flags and noise that is not octet aligned', () => {
    const shared = Uint8Array.of(0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0);
    const noise = Uint8Array.of(...FLAG, 1, 0, 1, ...FLAG);
    const frame = encodeHdlcBurst([Uint8Array.of(0xff, 0xc8, 0x5f)]);
    const received = new HdlcDeframer().receive(Uint8Array.of(...shared, ...noise, ...frame));
    assert.deepEqual(
      received.map((f) => [...f.bytes]),
      [[0xff, 0xc8, 0x5f]],
    );
  });

  it('drops frames longer than maxFrameLength', () => {
    const bits = encodeHdlcBurst([new Uint8Array(40).fill(0x55), Uint8Array.of(0xff, 0xc8, 0x21)]);
    const received = new HdlcDeframer({ maxFrameLength: 16 }).receive(bits);
    assert.deepEqual(
      received.map((f) => [...f.bytes]),
      [[0xff, 0xc8, 0x21]],
    );
  });

  it('gives the same frames for every split of the bit stream into two chunks', () => {
    const frames = [Uint8Array.of(0xff, 0xc0, 0xfc, 0x7e, 0xff), Uint8Array.of(0xff, 0xc8, 0x3f, 0x1f, 0xf8)];
    const bits = encodeHdlcBurst(frames, 2);
    const expected = frames.map((f) => [...f]);
    for (let split = 0; split <= bits.length; split++) {
      const deframer = new HdlcDeframer();
      const received = [...deframer.receive(bits.subarray(0, split)), ...deframer.receive(bits.subarray(split))];
      assert.deepEqual(
        received.map((f) => [...f.bytes]),
        expected,
        `split at ${split}`,
      );
      assert.ok(received.every((f) => f.fcsOk));
    }
  });

  it('round-trips random frames through the pull framer in random chunk sizes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 64 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
        (frames, chunkSizes) => {
          const framer = new HdlcFramer();
          for (const frame of frames) framer.send(frame);
          const total = framer.pendingBits() + 8;
          const deframer = new HdlcDeframer();
          const received = [];
          let pulled = 0;
          for (let i = 0; pulled < total; i++) {
            const size = chunkSizes[i % chunkSizes.length];
            received.push(...deframer.receive(framer.pull(size)));
            pulled += size;
          }
          assert.deepEqual(
            received.map((f) => [...f.bytes]),
            frames.map((f) => [...f]),
          );
          assert.ok(received.every((f) => f.fcsOk));
        },
      ),
    );
  });

  it('sends whole idle flags when nothing is queued', () => {
    const framer = new HdlcFramer();
    assert.equal(bitsToString(framer.pull(20)), '01111110011111100111');
    framer.send(Uint8Array.of(0xff, 0xc8, 0x21));
    const bits = framer.pull(framer.pendingBits());
    assert.equal(bitsToString(bits.subarray(0, 4)), '1110');
    const received = new HdlcDeframer().receive(Uint8Array.of(...FLAG, ...bits));
    assert.deepEqual(
      received.map((f) => [...f.bytes]),
      [[0xff, 0xc8, 0x21]],
    );
  });

  it('never throws on random bits and only returns whole frames', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (noise) => {
        const bits = noise.map((value) => value & 1);
        for (const frame of new HdlcDeframer().receive(bits)) assert.ok(frame.bytes.length >= 1);
      }),
    );
  });
});
