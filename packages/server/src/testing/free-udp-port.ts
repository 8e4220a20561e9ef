// Test support: a UDP port on 127.0.0.1 reserved for this test process, for a peer that must be told its number before
// it binds (sipp, the SpanDSP peer, a faxd whose configuration names it). Lines a test opens itself bind port 0 and
// are asked for their address instead.
//
// A port bound to 0, closed and handed on could be taken in between by any test process binding port 0. So the
// numbers come from a range below the kernel's ephemeral ports (Linux: 32768–60999; BSD, macOS: 49152–65535), which
// port-0 binds never draw from, and each one is claimed by holding a TCP listener on a twin port of a second range
// for the life of the process: two test processes can never claim the same number, and a process that dies releases
// its claims with it.

import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';

/** UDP ports handed out: [FIRST, FIRST + COUNT). */
const FIRST = 20_000;
const COUNT = 5_000;
/** Port P is claimed by a TCP listener on P + CLAIM_OFFSET, a range nothing else in the tests listens on. */
const CLAIM_OFFSET = COUNT;

const claims: Server[] = [];

export async function freeUdpPort(): Promise<number> {
  const start = Math.floor(Math.random() * COUNT);
  for (let i = 0; i < COUNT; i++) {
    const port = FIRST + ((start + i) % COUNT);
    const claim = await listen(port + CLAIM_OFFSET);
    if (!claim) continue;
    // Claimed among our own processes; anything else that bound the number by hand still rules it out.
    if (await udpBindable(port)) {
      claim.unref();
      claims.push(claim);
      return port;
    }
    claim.close();
  }
  throw new Error(`no UDP port free in ${FIRST}-${FIRST + COUNT - 1}`);
}

/** A TCP listener on 127.0.0.1:`port`, or undefined when another one holds it. */
function listen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    // exclusive: never shared with a cluster primary's handle; Node sets no SO_REUSEPORT, so a second listener fails.
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server));
  });
}

function udpBindable(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    socket.once('error', () => {
      try {
        socket.close();
      } catch {
        // Already closed by the failed bind.
      }
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}
