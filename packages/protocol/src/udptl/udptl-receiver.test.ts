import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodeError } from '../bits/decode-error.js';
import { seededRandom } from '../testing/lossy-link.js';
import { encodeUdptlPacket } from './udptl-packet.js';
import { type UdptlDelivery, UdptlReceiver } from './udptl-receiver.js';
import { UdptlSender } from './udptl-sender.js';

/** IFP n is two octets holding n, so any delivery can be checked against its seq-number. */
const ifpFor = (n: number) => Uint8Array.of(n >> 8, n & 0xff);

function stream(count: number, redundancy: number, firstSeqNumber = 0): Uint8Array[] {
  const sender = new UdptlSender({ redundancy, maxDatagramSize: 1400, firstSeqNumber });
  return Array.from({ length: count }, (_, i) => sender.send(ifpFor((firstSeqNumber + i) & 0xffff)));
}

/** Renders deliveries compactly: seq-numbers for IFPs (checking their payload), `lost a+n` for gaps. */
function summary(deliveries: UdptlDelivery[]): string[] {
  return deliveries.map((d) => {
    if (d.type === 'lost') return `lost ${d.firstSeqNumber}+${d.count}`;
    assert.deepEqual(d.ifp, ifpFor(d.seqNumber));
    return String(d.seqNumber);
  });
}

function feed(receiver: UdptlReceiver, datagrams: (Uint8Array | undefined)[]): string[] {
  return summary(datagrams.flatMap((d) => (d === undefined ? [] : receiver.receive(d))));
}

describe('UdptlReceiver', () => {
  it('delivers an in-order stream at once and drops duplicates', () => {
    const d = stream(4, 0);
    const receiver = new UdptlReceiver();
    assert.deepEqual(feed(receiver, [d[0], d[1], d[1], d[2], d[0], d[3], d[3]]), ['0', '1', '2', '3']);
    assert.deepEqual(receiver.stats, { delivered: 4, recovered: 0, lost: 0, discarded: 3 });
  });

  it('reorders within the window without redundancy', () => {
    const d = stream(6, 0);
    const receiver = new UdptlReceiver({ reorderWindow: 3 });
    assert.deepEqual(feed(receiver, [d[0], d[2], d[3]]), ['0']);
    assert.deepEqual(feed(receiver, [d[1]]), ['1', '2', '3']);
    assert.deepEqual(feed(receiver, [d[5], d[4]]), ['4', '5']);
    assert.equal(receiver.stats.lost, 0);
  });

  it('recovers a single loss and a burst of 3 from redundancy 3 as soon as the next datagram arrives', () => {
    const d = stream(9, 3);
    const receiver = new UdptlReceiver();
    assert.deepEqual(feed(receiver, [d[0], d[2]]), ['0', '1', '2']);
    assert.deepEqual(feed(receiver, [d[6]]), ['3', '4', '5', '6']);
    assert.deepEqual(feed(receiver, [d[3], d[7], d[8]]), ['7', '8']);
    assert.deepEqual(receiver.stats, { delivered: 9, recovered: 4, lost: 0, discarded: 1 });
  });

  it('reports a gap longer than the redundancy once the reorder window has passed, and delivers what follows', () => {
    const d = stream(12, 2);
    const receiver = new UdptlReceiver({ reorderWindow: 4 });
    // 1..3 are lost; 4 brings 2 and 3 back, leaving 1 missing while 2..4 wait within the window.
    assert.deepEqual(feed(receiver, [d[0], d[4]]), ['0']);
    assert.deepEqual(feed(receiver, [d[5]]), ['lost 1+1', '2', '3', '4', '5']);
    assert.deepEqual(feed(receiver, [d[1], d[6]]), ['6']);
    assert.deepEqual(receiver.stats, { delivered: 6, recovered: 2, lost: 1, discarded: 1 });
  });

  it('gives up on gaps when flushed', () => {
    const d = stream(5, 0);
    const receiver = new UdptlReceiver();
    assert.deepEqual(feed(receiver, [d[0], d[2], d[4]]), ['0']);
    assert.deepEqual(summary(receiver.flush()), ['lost 1+1', '2', 'lost 3+1', '4']);
  });

  it('follows the sequence across 65535 -> 0, recovering losses on both sides', () => {
    const d = stream(6, 1, 65533);
    const receiver = new UdptlReceiver();
    assert.deepEqual(feed(receiver, [d[0], d[2], d[1], d[4], d[5]]), ['65533', '65534', '65535', '0', '1', '2']);
    assert.equal(receiver.stats.recovered, 2);
  });

  it('starts at a configured seq-number and recovers the start of the stream', () => {
    const d = stream(3, 2);
    const receiver = new UdptlReceiver({ firstSeqNumber: 0 });
    assert.deepEqual(feed(receiver, [d[2]]), ['0', '1', '2']);
  });

  it('ignores zero-length secondaries and throws DecodeError for garbage', () => {
    const receiver = new UdptlReceiver({ firstSeqNumber: 0, reorderWindow: 0 });
    const packet = encodeUdptlPacket({
      seqNumber: 1,
      primary: ifpFor(1),
      errorRecovery: { type: 'redundancy', secondaries: [new Uint8Array()] },
    });
    assert.deepEqual(summary(receiver.receive(packet)), ['lost 0+1', '1']);
    assert.throws(() => receiver.receive(Uint8Array.of(1)), DecodeError);
  });
});

/** Drops with probability `loss`, duplicates 3 %, and holds 5 % of datagrams back by 1–3 places. */
function lossyLink(datagrams: Uint8Array[], seed: number, loss: number): Uint8Array[] {
  const random = seededRandom(seed);
  const out: Uint8Array[] = [];
  const delayed: { datagram: Uint8Array; release: number }[] = [];
  for (const [i, datagram] of datagrams.entries()) {
    for (const held of delayed.filter((h) => h.release === i)) out.push(held.datagram);
    if (random() < loss) continue;
    const copies = random() < 0.03 ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      if (random() < 0.05) delayed.push({ datagram, release: i + 1 + Math.floor(random() * 3) });
      else out.push(datagram);
    }
  }
  for (const held of delayed.filter((h) => h.release >= datagrams.length)) out.push(held.datagram);
  return out;
}

function simulate(count: number, seed: number, loss: number) {
  const datagrams = stream(count, 3);
  const receiver = new UdptlReceiver({ firstSeqNumber: 0 });
  const arrived = lossyLink(datagrams, seed, loss);
  const deliveries = [...arrived.flatMap((d) => receiver.receive(d)), ...receiver.flush()];
  // Every seq-number 0..count-1 appears exactly once, in order, either delivered or inside a reported gap.
  let next = 0;
  for (const delivery of deliveries) {
    if (delivery.type === 'lost') {
      assert.equal(delivery.firstSeqNumber, next);
      next += delivery.count;
    } else {
      assert.equal(delivery.seqNumber, next);
      assert.deepEqual(delivery.ifp, ifpFor(next));
      next++;
    }
  }
  assert.equal(next, count);
  return { arrived: arrived.length, ...receiver.stats };
}

describe('UdptlReceiver over a lossy, duplicating, reordering link', () => {
  it('delivers 2000 IFPs exactly once and in order with redundancy 3 and 5 % loss', () => {
    // 5 % loss never takes out 4 datagrams in a row here, so every loss is repaired from secondaries.
    assert.deepEqual(simulate(2000, 20261123, 0.05), {
      arrived: 1960,
      delivered: 2000,
      recovered: 151,
      lost: 0,
      discarded: 111,
    });
  });

  it('reports the unrecoverable bursts at 40 % loss', () => {
    assert.deepEqual(simulate(2000, 7, 0.4), {
      arrived: 1233,
      delivered: 1963,
      recovered: 793,
      lost: 37,
      discarded: 63,
    });
  });
});
