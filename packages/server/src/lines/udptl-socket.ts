// UDP for T.38 (T.38 §9.1, UDPTL over UDP) and SIP: endpoints as text, and a bound socket.
import { createSocket, type Socket } from 'node:dgram';

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
