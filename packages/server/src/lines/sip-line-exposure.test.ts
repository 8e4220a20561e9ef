// A SIP line facing strangers on real sockets (127.0.0.2 plays the stranger, 127.0.0.1 the legitimate peer): requests
// from outside `allow` get nothing at all, over UDP and TCP; a flood of 10,000 INVITEs from one source gets at most
// its token bucket's worth of answers while a legitimate caller's faxes go through; `inboundAuth` challenges INVITEs
// and takes only the right credentials; and datagrams from a stranger at the peer's media port number mid-fax are
// ignored.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import { encodeIfpPacket, encodeUdptlPacket } from '@faxd/protocol';
import { loadDocumentPages } from '../documents/load-pages.js';
import { waitFor } from '../testing/faxd-fixture.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { ask, Peer } from '../testing/raw-sip-peer.js';
import { openTestSipLine } from '../testing/sip-test-line.js';
import type { LineCallResult } from './fax-line.js';
import type { SipLine } from './sip-line.js';
import { DEFAULT_SIP_RATE_LIMIT } from './sip-request-gate.js';

const STRANGER = '127.0.0.2';
const quiet = { onEvent: () => {} };

/** Sends OPTIONS from `peer` until one is answered: every datagram it sent before has then been handled. */
async function drained(peer: Peer, line: SipLine): Promise<void> {
  for (let n = 0; ; n++) {
    const callId = `drain${n}-${Math.random().toString(36).slice(2)}`;
    ask(peer, 'OPTIONS', '200', callId, line.address.port);
    const answered = await waitFor('an OPTIONS answer', () => (peer.finals(callId).size > 0 ? true : undefined), 500)
      .then(() => true)
      .catch(() => false);
    if (answered) return;
  }
}

/** `count` INVITEs to `number`, each a new call, in batches that let the event loop (and the line) breathe. */
async function flood(peer: Peer, line: SipLine, number: string, count: number): Promise<void> {
  for (let n = 0; n < count; n++) {
    ask(peer, 'INVITE', number, `flood${n}`, line.address.port);
    if (n % 200 === 199) await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Counts the calls the line offers to the service, and keeps their results. */
function answering(line: SipLine): { offered: () => number; results: LineCallResult[] } {
  let offered = 0;
  const results: LineCallResult[] = [];
  line.incomingCallHandler = () => {
    offered += 1;
    return { ...quiet, onEnd: (result) => results.push(result) };
  };
  return { offered: () => offered, results };
}

const onePage = () => loadDocumentPages(new Uint8Array(Buffer.from('Past the strangers.\n')), { paper: 'a4' });

describe('a SIP line exposed to strangers', () => {
  const closing: { close(): unknown }[] = [];
  after(async () => {
    for (const one of closing) await one.close();
  });

  it('drops every request from outside sip.allow unanswered, over UDP and TCP, and creates no call', async () => {
    const line = await openTestSipLine(['200'], {
      transport: 'tcp',
      gate: { allow: ['127.0.0.1/32', '2001:db8::/32'] },
    });
    const [stranger, friend] = [await Peer.open(STRANGER), await Peer.open('127.0.0.1')];
    closing.push(line, stranger, friend);
    const calls = answering(line);
    ask(stranger, 'INVITE', '200', 'stranger-invite', line.address.port);
    ask(stranger, 'OPTIONS', '200', 'stranger-options', line.address.port);
    ask(stranger, 'BYE', '200', 'stranger-bye', line.address.port);
    // Over TCP the stranger's connection is closed before it is read.
    const tcpAnswer = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: line.address.port, localAddress: STRANGER });
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk;
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve(data));
      socket.on('connect', () => socket.write('OPTIONS sip:200@127.0.0.1 SIP/2.0\r\nContent-Length: 0\r\n\r\n'));
      setTimeout(() => reject(new Error('the connection stayed open')), 10_000).unref();
    });
    assert.equal(tcpAnswer, '');
    // The friend's OPTIONS is answered after the stranger's datagrams were handled.
    await drained(friend, line);
    assert.deepEqual(stranger.received, []);
    assert.equal(calls.offered(), 0);
  });

  it('answers a legitimate caller through a flood of 10,000 INVITEs from one source, which gets its bucket only', async () => {
    const callee = await openTestSipLine(['200']);
    const caller = await openTestSipLine(['100'], { proxy: `sip:127.0.0.1:${callee.address.port}` });
    const flooder = await Peer.open(STRANGER);
    closing.push(callee, caller, flooder);
    const calls = answering(callee);
    const pages = await onePage();
    const first = caller.placeCall({ pages, number: '200', ident: 'TSI 100' }, quiet).result;
    await waitFor('the first call', () => (calls.offered() === 1 ? true : undefined));

    const started = Date.now();
    await flood(flooder, callee, '200', 10_000);
    await drained(flooder, callee);
    const seconds = (Date.now() - started) / 1000;
    const answered = flooder.finals('flood');
    const { burst, perSecond } = DEFAULT_SIP_RATE_LIMIT;
    assert.ok(answered.size >= 1, 'the flood met the busy line');
    assert.ok(
      answered.size <= burst + Math.ceil(perSecond * seconds),
      `${answered.size} INVITEs answered in ${seconds} s`,
    );
    assert.ok([...answered.values()].every((status) => status === 486));

    assert.equal((await first).outcome.code, 'ok');
    // The flooder's bucket is empty; the legitimate caller's is not, and the line answers it again.
    await waitFor('the line to be free', () => (callee.busy ? undefined : true));
    const second = await caller.placeCall({ pages, number: '200', ident: 'TSI 100' }, quiet).result;
    assert.equal(second.outcome.code, 'ok');
    await waitFor('both receptions to end', () => (calls.results.length === 2 ? true : undefined));
    assert.equal(calls.offered(), 2);
    assert.deepEqual(
      calls.results.map((result) => result.received.length),
      [1, 1],
    );
  });

  it('challenges INVITEs under sip.inboundAuth: a flood gets 401s within its bucket, wrong credentials no call', async () => {
    const inboundAuth = { username: 'pbx', password: 'right', realm: 'faxd' };
    const callee = await openTestSipLine(['200'], { gate: { inboundAuth } });
    const proxy = `sip:127.0.0.1:${callee.address.port}`;
    const wrong = await openTestSipLine(['101'], { proxy, username: 'pbx', password: 'wrong' });
    const right = await openTestSipLine(['100'], { proxy, username: 'pbx', password: 'right' });
    const flooder = await Peer.open(STRANGER);
    closing.push(callee, wrong, right, flooder);
    const calls = answering(callee);
    const pages = await onePage();

    await flood(flooder, callee, '200', 10_000);
    await drained(flooder, callee);
    const challenged = flooder.finals('flood');
    assert.ok(challenged.size >= 1 && challenged.size <= 10_000);
    assert.ok([...challenged.values()].every((status) => status === 401));
    const challenge = flooder.starting('SIP/2.0 401')[0] ?? '';
    assert.match(challenge, /\r\nWWW-Authenticate: Digest realm="faxd",[^\r]*algorithm=SHA-256/);
    assert.match(challenge, /\r\nWWW-Authenticate: Digest realm="faxd",[^\r]*algorithm=MD5/);

    const refused = await wrong.placeCall({ pages, number: '200', ident: 'TSI 101' }, quiet).result;
    assert.notEqual(refused.outcome.code, 'ok');
    assert.equal(calls.offered(), 0);

    const accepted = await right.placeCall({ pages, number: '200', ident: 'TSI 100' }, quiet).result;
    assert.equal(accepted.outcome.code, 'ok');
    assert.equal(calls.offered(), 1);
  });

  it('ignores UDPTL from a stranger at the peer media port number mid-fax, and the fax completes', async () => {
    const [calleeMedia, callerMedia] = [await freeUdpPort(), await freeUdpPort()];
    const callee = await openTestSipLine(['200'], { mediaPorts: { first: calleeMedia, last: calleeMedia } });
    const caller = await openTestSipLine(['100'], {
      proxy: `sip:127.0.0.1:${callee.address.port}`,
      mediaPorts: { first: callerMedia, last: callerMedia },
    });
    // Each impostor sits at the stranger's address with the other end's media port number, aiming at this end.
    const [asCaller, asCallee] = [await Peer.open(STRANGER, callerMedia), await Peer.open(STRANGER, calleeMedia)];
    closing.push(callee, caller, asCaller, asCallee);
    const calls = answering(callee);
    const pages = await loadDocumentPages(new Uint8Array(Buffer.from('One.\n\fTwo.\n')), { paper: 'a4' });
    const sent = caller.placeCall({ pages, number: '200', ident: 'TSI 100' }, quiet).result;
    await waitFor('the call', () => (calls.offered() === 1 ? true : undefined));

    // DCNs (disconnect) at every sequence number a fax this size could be at, over and over: taken from the real peer,
    // one at the sequence number it expects would end the fax.
    const dcn = encodeIfpPacket({
      type: 't30-data',
      dataType: 'v21',
      fields: [
        { fieldType: 'hdlc-data', data: new Uint8Array([0xff, 0x13, 0xfb]) },
        { fieldType: 'hdlc-fcs-OK-sig-end' },
      ],
    });
    // Forty at a time, the window moving on each time: few enough that the kernel's receive buffer keeps room for the
    // real peer's datagrams (this is about whose datagrams count, not about drowning the socket).
    let injected = 0;
    const inject = setInterval(() => {
      for (let k = 0; k < 40; k += 1) {
        const seqNumber = (injected / 2) % 600;
        const packet = encodeUdptlPacket({
          seqNumber,
          primary: dcn,
          errorRecovery: { type: 'redundancy', secondaries: [] },
        });
        asCaller.socket.send(packet, calleeMedia, '127.0.0.1');
        asCallee.socket.send(packet, callerMedia, '127.0.0.1');
        injected += 2;
      }
    }, 40);
    let result: LineCallResult;
    try {
      result = await sent;
    } finally {
      clearInterval(inject);
    }
    assert.ok(injected > 0);
    assert.equal(result.outcome.code, 'ok');
    await waitFor('the reception to end', () => calls.results[0]);
    assert.equal(calls.results[0]?.received.length, 2);
  });
});
