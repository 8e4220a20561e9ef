import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Link, sipCallOptions, wire } from '../../testing/sip-call-link.js';
import { decodeDigestCredentials } from '../auth/digest-auth.js';
import { tagOf } from '../message/name-addr.js';
import { callIdOf, cseqOf, fromOf, toOf } from '../message/sip-fields.js';
import { headerValue } from '../message/sip-headers.js';
import type { SipMessage, SipRequest, SipResponse } from '../message/sip-message-types.js';
import { createSipResponse } from '../message/sip-response.js';
import { type SipCallEvent, type SipCallOutput, SipFaxCall } from './sip-fax-call.js';

const kinds = (events: SipCallEvent[]) => events.map((event) => event.type);

describe('SipFaxCall', () => {
  it("places a call offering T.38; both ends get each other's UDPTL endpoint; BYE ends it for the other", () => {
    const link = new Link();
    link.dial();
    assert.deepEqual(link.log, ['caller>INVITE', 'callee>100', 'callee>200', 'caller>ACK']);
    assert.deepEqual(kinds(link.events.caller), ['media']);
    const [media] = link.events.caller;
    assert.ok(media?.type === 'media');
    assert.deepEqual(media.remote, { address: '192.0.2.1', port: 6070 });
    assert.equal(media.session.errorCorrection, 't38UDPRedundancy');
    const calleeMedia = link.events.callee[0];
    assert.ok(calleeMedia?.type === 'media');
    assert.equal(calleeMedia.remote.port, 6060);
    assert.equal(link.callee?.state, 'confirmed');
    link.take('caller', link.caller?.hangUp(link.now) as SipCallOutput);
    assert.deepEqual(link.events.callee.at(-1), { type: 'ended', reason: 'the far end hung up (BYE)', byPeer: true });
    link.run(40_000);
    assert.ok(link.caller?.finished && link.callee?.finished, 'transactions wound down');
  });

  it('starts on audio and switches to T.38 when the callee re-INVITEs', () => {
    const link = new Link();
    link.dial({ audioFirst: true });
    link.run(0);
    assert.deepEqual(kinds(link.events.caller), ['media']);
    assert.deepEqual(link.log, [
      'caller>INVITE',
      'callee>100',
      'callee>200',
      'caller>ACK',
      'callee>INVITE',
      'caller>200',
      'callee>ACK',
    ]);
    const media = link.events.callee.at(-1);
    assert.ok(media?.type === 'media' && media.remote.port === 6060);
  });

  it('asks for T.38 itself when the callee does not (faxd requesting the switch)', () => {
    const link = new Link();
    link.onInvite = (call) => call.accept(link.now);
    // The callee's own switch is lost: the caller asks after its switch delay.
    let dropped = false;
    link.drop = (message, to) => {
      if (to === 'caller' && message.kind === 'request' && message.method === 'INVITE' && !dropped) {
        dropped = true;
        return true;
      }
      return false;
    };
    link.dial({ audioFirst: true, switchDelayMs: 1000 });
    link.run(1500);
    assert.ok(link.events.caller.some((event) => event.type === 'media'));
  });

  it('answers a 401 with digest credentials: CSeq + 1, the same Call-ID and From tag', () => {
    const target = { uri: 'sip:5550100@192.0.2.1:5070', from: 'sip:u5060@192.0.2.1' };
    const credentials = { username: 'fax', password: 'secret' };
    const { call, output } = SipFaxCall.dial(target, sipCallOptions(5060, 1, { credentials }), 0);
    const first = wire(output.send[0] as SipMessage) as SipRequest;
    const challenge = createSipResponse(first, 401, {
      toTag: 'x',
      headers: [{ name: 'WWW-Authenticate', value: 'Digest realm="pbx", nonce="abc", qop="auth", algorithm=SHA-256' }],
    });
    const retry = call.receive(wire(challenge), 10);
    assert.deepEqual(
      retry.send.map((message) => (message.kind === 'request' ? message.method : message.status)),
      ['ACK', 'INVITE'],
    );
    const second = retry.send[1] as SipRequest;
    assert.equal(cseqOf(second).seq, cseqOf(first).seq + 1);
    assert.equal(callIdOf(second), callIdOf(first));
    assert.equal(tagOf(fromOf(second)), tagOf(fromOf(first)));
    const answer = decodeDigestCredentials(headerValue(second.headers, 'Authorization') ?? '');
    assert.equal(answer.username, 'fax');
    assert.equal(answer.algorithm, 'SHA-256');
    // A second challenge for the same credentials means they are wrong: the call ends instead of looping.
    const again = call.receive(
      wire(createSipResponse(second, 401, { toTag: 'y', headers: challenge.headers.slice(5) })),
      20,
    );
    assert.ok(again.events[0]?.type === 'ended' && again.events[0].failure === 'line-unavailable');
  });

  for (const [status, failure] of [
    [486, 'busy'],
    [600, 'busy'],
    [404, 'bad-address'],
    [484, 'bad-address'],
    [480, 'no-answer'],
    [408, 'no-answer'],
    [503, 'line-unavailable'],
    [488, 'not-fax'],
    [606, 'not-fax'],
    [500, 'line-unavailable'],
  ] as const) {
    it(`maps a ${status} to ${failure}`, () => {
      const link = new Link();
      link.onInvite = (call) => call.reject(status, link.now);
      link.dial();
      assert.deepEqual(link.log, ['caller>INVITE', 'callee>100', `callee>${status}`, 'caller>ACK']);
      const ended = link.events.caller.at(-1);
      assert.ok(ended?.type === 'ended');
      assert.equal(ended.failure, failure);
    });
  }

  it('ends with no-answer when nothing answers (Timer B)', () => {
    const link = new Link();
    link.drop = () => true;
    link.dial();
    link.run(31_999);
    assert.equal(link.events.caller.length, 0);
    link.run(32_000);
    assert.equal(link.log.length, 7, 'INVITE sent at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s');
    const ended = link.events.caller.at(-1);
    assert.ok(ended?.type === 'ended' && ended.failure === 'no-answer');
  });

  it('retransmits its 200 until the ACK comes, and re-ACKs a retransmitted 200', () => {
    const link = new Link();
    let acks = 0;
    link.drop = (message) => message.kind === 'request' && message.method === 'ACK' && ++acks <= 2;
    link.dial();
    link.run(2000);
    assert.deepEqual(link.log.filter((entry) => entry.startsWith('callee>2')).length, 3, '200 at 0, 0.5 and 1.5 s');
    assert.equal(link.callee?.state, 'confirmed');
  });

  it('hangs up with BYE when its 200 is never ACKed (64*T1)', () => {
    const link = new Link();
    link.drop = (message) => message.kind === 'request' && message.method === 'ACK';
    link.dial();
    link.run(32_000);
    const ended = link.events.callee.at(-1);
    assert.ok(ended?.type === 'ended' && ended.failure === 'call-aborted');
    assert.ok(link.log.includes('callee>BYE'));
  });

  it('answers a session refresh with the same description and leaves the media alone', () => {
    const link = new Link();
    const seen: SipMessage[] = [];
    link.drop = (message) => {
      seen.push(message);
      return false;
    };
    link.dial();
    const invite = seen[0] as SipRequest;
    const ok = seen[2] as SipResponse;
    const events = link.events.callee.length;
    // A refresh as FreeSWITCH sends it with Session-Expires: the caller's own offer again, in the dialog.
    const refresh: SipRequest = {
      ...invite,
      headers: invite.headers
        .map((header) => {
          if (header.name === 'Via') return { name: 'Via', value: 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKrefresh1' };
          if (header.name === 'To') return { name: 'To', value: headerValue(ok.headers, 'To') ?? '' };
          if (header.name === 'CSeq') return { name: 'CSeq', value: `${cseqOf(invite).seq + 1} INVITE` };
          return header;
        })
        .concat([{ name: 'Session-Expires', value: '1800;refresher=uac' }]),
    };
    const answer = (link.callee as SipFaxCall).receive(wire(refresh), 1000);
    assert.equal(answer.send.length, 1);
    const response = answer.send[0] as SipResponse;
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, ok.body, 'the same description, same version');
    assert.equal(headerValue(response.headers, 'Session-Expires'), '1800;refresher=uac');
    assert.deepEqual(answer.events, []);
    assert.equal(link.events.callee.length, events);
  });

  it('cancels a ringing call: 200 to the CANCEL, 487 to the INVITE', () => {
    const link = new Link();
    link.onInvite = () => ({ send: [], events: [] });
    link.dial();
    link.take('caller', (link.caller as SipFaxCall).hangUp(link.now));
    assert.deepEqual(link.log, [
      'caller>INVITE',
      'callee>100',
      'caller>CANCEL',
      'callee>200',
      'callee>487',
      'caller>ACK',
    ]);
    const ended = link.events.callee.at(-1);
    assert.ok(ended?.type === 'ended' && ended.failure === 'call-aborted' && ended.byPeer);
  });

  it('gives up on a call nobody answers at the ring limit: CANCEL sent and the end reported by advance()', () => {
    const link = new Link();
    link.onInvite = () => ({ send: [], events: [] });
    link.dial({ ringLimitMs: 20_000 });
    link.run(20_000);
    assert.deepEqual(link.log.slice(0, 3), ['caller>INVITE', 'callee>100', 'caller>CANCEL']);
    const ended = link.events.caller.at(-1);
    assert.ok(ended?.type === 'ended' && ended.failure === 'no-answer', JSON.stringify(ended));
  });

  it('rings before it answers: 180 at once, the 200 at the answer delay, both in one To tag', () => {
    const link = new Link();
    const seen: SipMessage[] = [];
    link.drop = (message) => {
      seen.push(message);
      return false;
    };
    link.onInvite = (call) => call.ring(link.now, 12_000);
    link.dial();
    assert.deepEqual(link.log, ['caller>INVITE', 'callee>100', 'callee>180']);
    link.run(11_999);
    assert.equal(link.log.length, 3, 'no answer before the delay');
    link.run(12_000);
    assert.deepEqual(link.log.slice(3), ['callee>200', 'caller>ACK']);
    const tags = seen
      .filter((message) => message.kind === 'response' && message.status > 100)
      .map((message) => tagOf(toOf(message)));
    assert.equal(tags.length, 2);
    assert.ok(tags[0] && tags[0] === tags[1], `To tags ${tags.join(', ')}`);
    assert.equal(link.callee?.state, 'confirmed');
    assert.deepEqual(kinds(link.events.caller), ['media']);
  });

  it('takes a CANCEL while ringing: 200 to it, 487 in the ringing tag, and never answers', () => {
    const link = new Link();
    link.onInvite = (call) => call.ring(link.now, 12_000);
    link.dial();
    link.run(5_000);
    link.take('caller', (link.caller as SipFaxCall).hangUp(link.now));
    assert.deepEqual(link.log.slice(3), ['caller>CANCEL', 'callee>200', 'callee>487', 'caller>ACK']);
    const ended = link.events.callee.at(-1);
    assert.ok(ended?.type === 'ended' && ended.failure === 'call-aborted' && ended.byPeer, JSON.stringify(ended));
    link.run(40_000);
    assert.ok(!link.log.includes('callee>200', 5), 'no 200 after the CANCEL');
    assert.ok(link.callee?.finished);
  });
});
