// Test support: a UDP relay between two local endpoints that drops datagrams at a seeded rate in either direction, to
// put real-time T.38 calls over a lossy network (the loss T.38 §9.1 UDPTL redundancy is there to repair).

import { createSocket } from 'node:dgram';
import { LossyLink } from '@faxd/protocol/testing/lossy-link';

export interface LossyUdpRelayOptions {
  /** The relay's own port on 127.0.0.1: both ends use it as their peer. */
  readonly port: number;
  /** The two ends' ports; each datagram from one goes to the other. */
  readonly ends: readonly [number, number];
  /** Share of datagrams dropped on their way to `ends[0]` and to `ends[1]`, in percent. */
  readonly lossPercent: readonly [number, number];
  readonly seed: number;
}

export interface LossyUdpRelay {
  /** Datagrams forwarded and dropped on the way to `ends[0]` and `ends[1]`. */
  readonly forwarded: [number, number];
  readonly dropped: [number, number];
  /** The largest datagram forwarded toward `ends[0]` and `ends[1]`, in octets. */
  readonly largest: [number, number];
  close(): Promise<void>;
}

export async function startLossyUdpRelay(options: LossyUdpRelayOptions): Promise<LossyUdpRelay> {
  const socket = createSocket('udp4');
  const links = options.lossPercent.map(
    (percent, i) => new LossyLink({ seed: options.seed * 2 + i, dropRate: percent / 100 }),
  );
  const relay: LossyUdpRelay = {
    forwarded: [0, 0],
    dropped: [0, 0],
    largest: [0, 0],
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', function relayDatagram(message, remote) {
    const from = options.ends.indexOf(remote.port);
    if (from < 0) return;
    const to = 1 - from;
    if (links[to].copies() === 0) {
      relay.dropped[to]++;
      return;
    }
    relay.forwarded[to]++;
    relay.largest[to] = Math.max(relay.largest[to], message.length);
    socket.send(message, options.ends[to], '127.0.0.1');
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return relay;
}
