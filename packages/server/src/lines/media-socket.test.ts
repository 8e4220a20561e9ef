import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { describe, it } from 'node:test';
import { MediaSocket } from './media-socket.js';

async function boundSocket() {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

describe('MediaSocket', () => {
  it('releases only after every datagram handed to send has gone out, even when released in the same tick', async () => {
    const far = await boundSocket();
    const arrived: string[] = [];
    const sentinel = new Promise<void>((resolve) => {
      far.on('message', (message) => {
        const text = message.toString();
        if (text === 'sentinel') resolve();
        else arrived.push(text);
      });
    });
    const media = await MediaSocket.bind(
      { host: '127.0.0.1', port: 0 },
      { host: '127.0.0.1', port: far.address().port },
    );
    for (let i = 0; i < 50; i++) media.send(new TextEncoder().encode(`datagram ${i}`));
    await media.release();
    // Everything the media socket sent is already in the far end's queue; a datagram sent now lands behind it.
    const other = await boundSocket();
    other.send('sentinel', far.address().port, '127.0.0.1');
    await sentinel;
    other.close();
    far.close();
    assert.equal(arrived.length, 50);
    assert.equal(arrived[49], 'datagram 49');
  });

  it("takes datagrams only from the far end's port, and drops what is sent before it is known", async () => {
    const far = await boundSocket();
    const stranger = await boundSocket();
    const media = await MediaSocket.bind({ host: '127.0.0.1', port: 0 });
    const taken: string[] = [];
    const got = new Promise<void>((resolve) => {
      media.receiver = (datagram) => {
        taken.push(new TextDecoder().decode(datagram));
        resolve();
      };
    });
    media.send(new TextEncoder().encode('nowhere'));
    media.remote = { host: '127.0.0.1', port: far.address().port };
    stranger.send('stranger', media.address.port, '127.0.0.1');
    far.send('far', media.address.port, '127.0.0.1');
    await got;
    await media.release();
    stranger.close();
    far.close();
    assert.deepEqual(taken, ['far']);
  });
});
