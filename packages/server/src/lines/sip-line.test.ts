// SIP lines on real sockets: a fax from one faxd SIP line to another, and a corpus of malformed SIP datagrams that
// each get a 400 or nothing while the line keeps answering.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, describe, it } from 'node:test';
import { samePixels } from '@faxd/protocol';
import { loadDocumentPages } from '../documents/load-pages.js';
import { openTestSipLine } from '../testing/sip-test-line.js';
import type { LineCallResult } from './fax-line.js';
import type { SipLine } from './sip-line.js';

const NOTE = 'Over SIP and T.38.\n';

async function openLine(numbers: string[], proxyPort?: number, mediaPort = 0): Promise<SipLine> {
  return openTestSipLine(numbers, {
    ...(proxyPort && { proxy: `sip:127.0.0.1:${proxyPort}` }),
    mediaPorts: { first: mediaPort, last: mediaPort },
  });
}

const quiet = { onEvent: () => {} };

describe('a SIP line', () => {
  const lines: SipLine[] = [];
  after(async () => {
    await Promise.all(lines.map((line) => line.close()));
  });

  it('sends a fax to another faxd SIP line: INVITE with T.38, the pages arrive, BYE', async () => {
    const callee = await openLine(['200']);
    const caller = await openLine(['100'], callee.address.port);
    lines.push(callee, caller);
    const received = new Promise<LineCallResult>((resolve) => {
      callee.incomingCallHandler = (call) => {
        assert.deepEqual(
          { callerId: call.callerId, calledNumber: call.calledNumber },
          { callerId: '100', calledNumber: '200' },
        );
        return { ...quiet, onEnd: resolve };
      };
    });
    const pages = await loadDocumentPages(new Uint8Array(Buffer.from(NOTE)), { paper: 'a4' });
    const sent = await caller.placeCall({ pages, number: '200', ident: 'TSI 100' }, quiet).result;
    const got = await received;
    assert.equal(sent.failure, undefined);
    assert.equal(sent.outcome.code, 'ok');
    assert.equal(got.outcome.code, 'ok');
    assert.equal(got.received.length, 1);
    assert.ok(samePixels(got.received[0] as never, pages[0] as never));
    assert.equal(got.report.remoteIdent, 'TSI 100');
  });

  it('gets bad-address for a number the far line does not answer, and busy-free lines afterwards', async () => {
    const callee = await openLine(['200']);
    const caller = await openLine(['100'], callee.address.port);
    lines.push(callee, caller);
    callee.incomingCallHandler = () => ({ ...quiet, onEnd: () => {} });
    const pages = await loadDocumentPages(new Uint8Array(Buffer.from(NOTE)), { paper: 'a4' });
    const result = await caller.placeCall({ pages, number: '999', ident: 'X' }, quiet).result;
    assert.equal(result.failure, 'bad-address');
    assert.equal(caller.busy, false);
  });

  it('answers 503 when its media range has no free port, and reports the offered call as line-unavailable', async () => {
    const taken = createSocket('udp4');
    await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve));
    const callee = await openLine(['200'], undefined, taken.address().port);
    const caller = await openLine(['100'], callee.address.port);
    lines.push(callee, caller);
    const offered = new Promise<LineCallResult>((resolve) => {
      callee.incomingCallHandler = () => ({ ...quiet, onEnd: resolve });
    });
    const pages = await loadDocumentPages(new Uint8Array(Buffer.from(NOTE)), { paper: 'a4' });
    const sent = await caller.placeCall({ pages, number: '200', ident: 'TSI 100' }, quiet).result;
    const ended = await offered;
    taken.close();
    assert.equal(sent.failure, 'line-unavailable');
    assert.equal(ended.failure, 'line-unavailable');
    assert.deepEqual(ended.received, []);
    assert.equal(callee.busy, false);
  });

  it('answers malformed SIP with 400 or silence and keeps answering OPTIONS', async () => {
    const line = await openLine(['200']);
    lines.push(line);
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const replies: string[] = [];
    socket.on('message', (message) => replies.push(message.toString('latin1').split('\r\n')[0] ?? ''));
    const port = socket.address().port;
    const head = (method: string, extra = '') =>
      `${method} sip:200@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${Math.random().toString(36).slice(2)}\r\n` +
      `From: <sip:1@127.0.0.1>;tag=1\r\nTo: <sip:200@127.0.0.1>\r\nCall-ID: c${Math.random()}\r\n${extra}`;
    const corpus: [string, string | undefined][] = [
      ['garbage', undefined],
      ['\x00\x01\x02\xff', undefined],
      [head('OPTIONS').slice(0, 40), undefined],
      [`${head('OPTIONS')}CSeq: 1 OPTIONS\r\nContent-Length: 99999999\r\n\r\n`, 'SIP/2.0 400'],
      [`${head('OPTIONS')}CSeq: 1 OPTIONS\r\nContent-Length: 50\r\n\r\nshort`, 'SIP/2.0 400'],
      [`${head('INVITE')}CSeq: one INVITE\r\n\r\n`, 'SIP/2.0 400'],
      [`${head('INVITE')}CSeq: 1 OPTIONS\r\n\r\n`, 'SIP/2.0 400'],
      [`${head('OPTIONS')}CSeq: 1 OPTIONS\r\nMax-Forwards: lots\r\n\r\n`, 'SIP/2.0 400'],
      [`INVITE sip:200@127.0.0.1 SIP/2.0\r\nVia: nonsense\r\n\r\n`, undefined],
      [`${head('BYE')}CSeq: 5 BYE\r\n\r\n`, 'SIP/2.0 481'],
      [`${head('INVITE')}CSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n\r\nv=0\r\nbroken`, undefined],
    ];
    for (const [text, expected] of corpus) {
      replies.length = 0;
      socket.send(Buffer.from(text, 'latin1'), line.address.port, '127.0.0.1');
      socket.send(Buffer.from(`${head('OPTIONS')}CSeq: 1 OPTIONS\r\n\r\n`), line.address.port, '127.0.0.1');
      const until = Date.now() + 2000;
      while (!replies.includes('SIP/2.0 200 OK') && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      assert.ok(replies.includes('SIP/2.0 200 OK'), `still answering after ${JSON.stringify(text.slice(0, 30))}`);
      const other = replies.filter((reply) => reply !== 'SIP/2.0 200 OK');
      if (expected) assert.ok(other[0]?.startsWith(expected), `${JSON.stringify(text.slice(0, 40))}: ${other}`);
      else if (other.length > 0) assert.ok(/^SIP\/2.0 (4|1)/.test(other[0] ?? ''), `${other}`);
    }
    socket.close();
  });
});
