import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { freeUdpPort } from './free-udp-port.js';

describe('freeUdpPort', () => {
  it('hands out distinct ports below the ephemeral range that a peer can then bind', async () => {
    const ports = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
    assert.equal(new Set(ports).size, 3);
    for (const port of ports) {
      assert.ok(port >= 20_000 && port < 25_000, `${port}`);
      const socket = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port, '127.0.0.1', resolve);
      });
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
  });

  it('keeps each port claimed for the life of the process, so no other test process can be handed it', async () => {
    const port = await freeUdpPort();
    const rival = createServer();
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      rival.once('error', resolve);
      rival.listen({ port: port + 5_000, host: '127.0.0.1', exclusive: true }, () => resolve(undefined));
    });
    rival.close();
    assert.equal(error?.code, 'EADDRINUSE');
  });
});
