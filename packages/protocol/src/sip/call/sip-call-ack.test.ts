// The answering side's media waits for the ACK (RFC 3261 §13.3.1.4): a 200 that is never ACKed ends the call after
// 64*T1 without its media ever starting, and a late ACK starts it only when it arrives. Both on the manual clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Link } from '../../testing/sip-call-link.js';
import type { SipMessage } from '../message/sip-message-types.js';

const isAck = (message: SipMessage) => message.kind === 'request' && message.method === 'ACK';

describe('an answered call before its ACK', () => {
  it('never starts media for a 200 that is not ACKed, and ends at 64*T1 with a BYE', () => {
    const link = new Link();
    link.drop = isAck;
    link.dial();
    link.run(31_999);
    assert.equal(link.events.callee.length, 0, 'no media and no end before 64*T1');
    assert.equal(link.callee?.state, 'answered');
    link.run(32_000);
    assert.deepEqual(
      link.events.callee.map((event) => event.type),
      ['ended'],
    );
    const ended = link.events.callee[0];
    assert.ok(ended?.type === 'ended' && ended.failure === 'call-aborted' && !ended.byPeer);
    assert.equal(link.log.filter((entry) => entry === 'callee>BYE').length, 1);
    link.run(100_000);
    assert.ok(link.callee?.finished, 'the call holds no transaction once its BYE is answered and Timer L ran');
  });

  it('starts media when a late ACK arrives, not at the 200', () => {
    const link = new Link();
    let acks = 0;
    // The ACKs for the first 200 and its first retransmission (0.5 s) are lost; the one after 1.5 s arrives.
    link.drop = (message) => isAck(message) && ++acks <= 2;
    link.dial();
    link.run(1_499);
    assert.equal(link.events.callee.length, 0);
    link.run(1_500);
    const media = link.events.callee[0];
    assert.ok(media?.type === 'media', 'media once the dialog is confirmed');
    assert.deepEqual(media.remote, { address: '192.0.2.1', port: 6060 });
    assert.equal(link.callee?.state, 'confirmed');
  });

  it('ignores an ACK for another CSeq: the 200 still waits for its own', () => {
    const link = new Link();
    let forged = false;
    link.drop = (message, to) => {
      if (!isAck(message) || forged || to !== 'callee' || message.kind !== 'request') return false;
      forged = true;
      const cseq = message.headers.find((header) => header.name === 'CSeq');
      link.deliver('callee', {
        ...message,
        headers: message.headers.map((header) => (header === cseq ? { name: 'CSeq', value: '99 ACK' } : header)),
      });
      return true;
    };
    link.dial();
    link.run(400);
    assert.equal(link.events.callee.length, 0);
    link.run(600);
    assert.equal(link.events.callee[0]?.type, 'media');
  });
});
