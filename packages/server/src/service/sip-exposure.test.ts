// faxd with a SIP line configured with sip.allow, sip.rateLimit and sip.inboundAuth, on a dual-stack socket: INVITEs
// from an IPv4 and an IPv6 address outside the list get no answer and create no job; the listed address (arriving as
// an IPv4-mapped IPv6 address) is challenged with 401, within its rate.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { requestJson, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { ask, Peer } from '../testing/raw-sip-peer.js';

describe('a faxd SIP line behind sip.allow', () => {
  let faxd: TestFaxd | undefined;
  const peers: Peer[] = [];
  after(async () => {
    for (const peer of peers) peer.close();
    await faxd?.dispose();
  });

  it('answers only the listed address, within its rate, and creates no job for anyone', async () => {
    const [sipPort, media] = [await freeUdpPort(), await freeUdpPort()];
    faxd = await startTestFaxd({
      lines: [
        {
          id: 1,
          kind: 'sip',
          sip: {
            listen: `[::]:${sipPort}`,
            advertise: '127.0.0.1',
            numbers: ['200'],
            allow: ['127.0.0.1', '2001:db8::/32'],
            rateLimit: { perSecond: 1, burst: 3 },
            inboundAuth: { username: 'pbx', password: 'secret' },
          },
          mediaPorts: `${media}-${media}`,
        },
      ],
    });
    const strangers = [await Peer.open('127.0.0.2'), await Peer.open('::1')];
    const friend = await Peer.open('127.0.0.1');
    peers.push(...strangers, friend);
    for (const [index, stranger] of strangers.entries()) {
      const host = index === 0 ? '127.0.0.1' : '::1';
      for (let n = 0; n < 5; n++) ask(stranger, 'INVITE', '200', `stranger${index}-${n}`, sipPort, host);
      ask(stranger, 'OPTIONS', '200', `stranger${index}-options`, sipPort, host);
    }
    // Ten INVITEs from the listed address: the first three (the burst) are challenged, and the clock of this test
    // adds at most a token a second to that.
    const started = Date.now();
    for (let n = 0; n < 10; n++) ask(friend, 'INVITE', '200', `invite${n}`, sipPort);
    for (let n = 0; ; n++) {
      ask(friend, 'OPTIONS', '200', `friend-options${n}`, sipPort);
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (friend.finals('friend-options').size > 0) break;
    }
    const challenged = friend.finals('invite');
    const seconds = (Date.now() - started) / 1000;
    assert.ok(challenged.size >= 3 && challenged.size <= 3 + Math.ceil(seconds), `${challenged.size} challenged`);
    assert.ok([...challenged.values()].every((status) => status === 401));

    for (const stranger of strangers) assert.deepEqual(stranger.received, []);
    const jobs = await requestJson(faxd.url, '/v1/jobs?direction=incoming&all=true');
    assert.deepEqual(jobs.body, []);
    assert.equal(
      faxd.events.filter((event) => event.event === 'incomingJobAdded' || event.event === 'newCall').length,
      0,
    );
  });
});
