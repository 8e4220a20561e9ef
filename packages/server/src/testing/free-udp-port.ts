// Test support: a UDP port on 127.0.0.1 nothing is bound to right now, for a line a test configures by number.
import { createSocket } from 'node:dgram';

export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
