// UDP for T.38 (T.38 §9.1, UDPTL over UDP): endpoints as text, a bound socket, and a one-shot call that runs a
// station to its end on its own socket.
import { createSocket, type Socket } from 'node:dgram';
import type { T38Station } from '@faxd/protocol';
import { StationDriver } from './station-driver.js';

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

/** A UDP socket bound to `endpoint` (port 0: any free port). */
export async function bindUdpSocket(endpoint: UdpEndpoint): Promise<Socket> {
  const socket = createSocket(endpoint.host.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(endpoint.port, endpoint.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return socket;
}

export interface UdptlSocketOptions {
  readonly bind: UdpEndpoint;
  readonly peer: UdpEndpoint;
  /** Gives up (the station is cancelled) after this long. */
  readonly timeoutMs: number;
  /** See StationDriverOptions. */
  readonly onLateness?: (ms: number) => void;
}

/**
 * Runs `station` until its session has finished and its last signal has gone out. Only datagrams from the peer's
 * port are taken.
 */
export async function runUdptlSocket(station: T38Station, options: UdptlSocketOptions): Promise<void> {
  const socket = await bindUdpSocket(options.bind);
  const driver = new StationDriver(
    station,
    (datagrams) => {
      for (const datagram of datagrams) socket.send(datagram, options.peer.port, options.peer.host);
    },
    { onLateness: options.onLateness },
  );
  const giveUp = setTimeout(() => driver.cancel(), options.timeoutMs);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.on('error', reject);
      socket.on('message', (message, remote) => {
        if (remote.port === options.peer.port) driver.receive(new Uint8Array(message));
      });
      driver.done.then(resolve, reject);
      driver.start();
    });
  } finally {
    clearTimeout(giveUp);
    // Datagrams handed to send() go out before close completes.
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
