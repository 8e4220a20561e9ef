// The Node driver of a T.38 station: UDPTL datagrams on a UDP socket (T.38 §9.1), one timer for the station's deadline.
import { createSocket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { T38Station } from '@faxd/protocol';

export interface UdpEndpoint {
  readonly host: string;
  readonly port: number;
}

/** "HOST:PORT" (IPv6 as "[::1]:PORT"). */
export function parseUdpEndpoint(text: string): UdpEndpoint {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535) throw new RangeError(`"${text}" is not HOST:PORT`);
  return { host: match[1] ?? (match[2] as string), port };
}

export interface UdptlSocketOptions {
  readonly bind: UdpEndpoint;
  readonly peer: UdpEndpoint;
  /** Gives up (the station is cancelled) after this long. */
  readonly timeoutMs: number;
}

/**
 * Runs `station` until its session has finished and its last signal has gone out. Only datagrams from the peer's
 * address are taken; time is monotonic milliseconds from the start of the call.
 */
export async function runUdptlSocket(station: T38Station, options: UdptlSocketOptions): Promise<void> {
  const socket = createSocket(options.bind.host.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.bind.port, options.bind.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const origin = performance.now();
  const now = () => performance.now() - origin;
  const send = (datagrams: readonly Uint8Array[]) => {
    for (const datagram of datagrams) socket.send(datagram, options.peer.port, options.peer.host);
  };
  let timer: NodeJS.Timeout | undefined;
  let giveUp: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const schedule = () => {
        clearTimeout(timer);
        if (station.finished) return resolve();
        const deadline = station.nextDeadline();
        if (deadline !== undefined) timer = setTimeout(tick, Math.max(0, deadline - now()));
      };
      const tick = () => {
        send(station.advance(now()));
        schedule();
      };
      socket.on('error', reject);
      socket.on('message', (message, remote) => {
        if (remote.port !== options.peer.port) return;
        send(station.receiveDatagram(new Uint8Array(message), now()));
        schedule();
      });
      giveUp = setTimeout(() => {
        send(station.cancel(now()));
        schedule();
      }, options.timeoutMs);
      send(station.start(now()));
      schedule();
    });
  } finally {
    clearTimeout(timer);
    clearTimeout(giveUp);
    // Datagrams handed to send() go out before close completes.
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
