import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeUdptlPacket } from './udptl-packet.js';
import { UdptlSender } from './udptl-sender.js';

const ifp = (seq: number, length: number) => new Uint8Array(length).fill(seq & 0xff);

function secondariesOf(datagram: Uint8Array): Uint8Array[] {
  const recovery = decodeUdptlPacket(datagram).errorRecovery;
  assert.equal(recovery.type, 'redundancy');
  return recovery.type === 'redundancy' ? recovery.secondaries : [];
}

describe('UdptlSender', () => {
  it('numbers datagrams from 0, wraps after 65535 and carries up to N previous IFPs newest first', () => {
    const sender = new UdptlSender({ redundancy: 2, maxDatagramSize: 1400, firstSeqNumber: 65534 });
    const datagrams = [0, 1, 2, 3].map((n) => sender.send(ifp(n, 3)));
    assert.deepEqual(
      datagrams.map((d) => decodeUdptlPacket(d).seqNumber),
      [65534, 65535, 0, 1],
    );
    assert.deepEqual(
      datagrams.map((d) => secondariesOf(d).map((s) => s[0])),
      [[], [0], [1, 0], [2, 1]],
    );
    assert.deepEqual(Array.from(datagrams[3] as Uint8Array), [0, 1, 3, 3, 3, 3, 0, 2, 3, 2, 2, 2, 3, 1, 1, 1]);
  });

  it('sends 00 00 when redundancy is 0', () => {
    const sender = new UdptlSender({ redundancy: 0, maxDatagramSize: 100 });
    sender.send(ifp(0, 1));
    assert.deepEqual(Array.from(sender.send(ifp(1, 1))), [0, 1, 1, 1, 0, 0]);
  });

  it('drops the oldest secondaries, never the primary, to stay within the max datagram size', () => {
    const limit = 100;
    const sender = new UdptlSender({ redundancy: 4, maxDatagramSize: limit });
    const lengths = [10, 40, 30, 20, 45, 5, 90, 3, 3, 3, 3, 60];
    let dropped = 0;
    const history: Uint8Array[] = [];
    for (const [n, length] of lengths.entries()) {
      const primary = ifp(n, length);
      const datagram = sender.send(primary);
      assert.ok(datagram.length <= limit, `datagram ${n} has ${datagram.length} octets`);
      const packet = decodeUdptlPacket(datagram);
      assert.deepEqual(packet.primary, primary);
      const secondaries = secondariesOf(datagram);
      // What is carried is always the newest run of previous IFPs.
      assert.deepEqual(secondaries, history.slice(0, secondaries.length));
      dropped += Math.min(4, history.length) - secondaries.length;
      history.unshift(primary);
    }
    assert.ok(dropped > 0);
    assert.equal(secondariesOf(sender.send(ifp(99, 95))).length, 0);
  });

  it('refuses an IFP that cannot fit alone', () => {
    const sender = new UdptlSender({ redundancy: 1, maxDatagramSize: 100 });
    assert.throws(() => sender.send(ifp(0, 97)), RangeError);
  });
});
