import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeG711, encodeG711 } from './g711.js';
import { decodeRtpPacket } from './rtp-packet.js';
import { RtpPacketiser, SAMPLES_PER_PACKET } from './rtp-packetiser.js';

/** A ramp, so a sample out of place changes the coded stream. */
const ramp = (from: number, count: number) => Int16Array.from({ length: count }, (_, i) => ((from + i) * 8) % 4096);

describe('RtpPacketiser', () => {
  it('cuts any split of the sample stream into the same 20 ms packets', () => {
    const packetiser = new RtpPacketiser({
      selection: { codec: 'PCMA', payloadType: 8 },
      ssrc: 0x5eed,
      firstSequenceNumber: 0xfffe,
      firstTimestamp: 0xffffff00,
    });
    const stream = ramp(0, 5 * SAMPLES_PER_PACKET + 17);
    const chunks = [1, 159, 7, 300, 0, 333];
    const datagrams: Uint8Array[] = [];
    let at = 0;
    for (const size of [...chunks, stream.length]) {
      datagrams.push(...packetiser.push(stream.subarray(at, Math.min(stream.length, at + size))));
      at = Math.min(stream.length, at + size);
    }
    assert.equal(packetiser.pendingSamples, 17);
    const packets = datagrams.map(decodeRtpPacket);
    assert.deepEqual(
      packets.map((p) => [p.sequenceNumber, p.timestamp, p.marker, p.payloadType, p.ssrc, p.payload.length]),
      [
        [0xfffe, 0xffffff00, true, 8, 0x5eed, 160],
        [0xffff, 0xffffffa0, false, 8, 0x5eed, 160],
        [0, 0x40, false, 8, 0x5eed, 160],
        [1, 0xe0, false, 8, 0x5eed, 160],
        [2, 0x180, false, 8, 0x5eed, 160],
      ],
    );
    const payloads = packets.flatMap((p) => [...p.payload]);
    assert.deepEqual(payloads, [...encodeG711('PCMA', stream.subarray(0, 5 * SAMPLES_PER_PACKET))]);
  });

  it('marks the first packet after a pause, skipping its time in the timestamp only', () => {
    const packetiser = new RtpPacketiser({
      selection: { codec: 'PCMU', payloadType: 0 },
      ssrc: 1,
      firstSequenceNumber: 10,
      firstTimestamp: 1000,
      samplesPerPacket: 80,
    });
    const first = packetiser.push(ramp(0, 120)).map(decodeRtpPacket);
    const flushed = packetiser.pause(400).map(decodeRtpPacket);
    const after = packetiser.push(ramp(0, 80)).map(decodeRtpPacket);
    const summary = [...first, ...flushed, ...after].map((p) => [p.sequenceNumber, p.timestamp, p.marker]);
    // The half-full second packet goes out padded with silence; the pause's remaining 360 samples are skipped.
    assert.deepEqual(summary, [
      [10, 1000, true],
      [11, 1080, false],
      [12, 1160 + 360, true],
    ]);
    assert.deepEqual([...decodeG711('PCMU', flushed[0].payload.subarray(40))], new Array(40).fill(0));
  });
});
