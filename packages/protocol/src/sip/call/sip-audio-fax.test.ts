// Calls that stay on G.711 audio with `audioFax` (issue 12 item 6): the audio stream is reported at once, a refused
// switch to T.38 keeps the call, a later switch by the far end is still followed before the fax starts and refused
// after it, and a callee refusing our T.38 INVITE gets the same call again offering audio.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Link, sipCallOptions, wire } from '../../testing/sip-call-link.js';
import { callIdOf, cseqOf } from '../message/sip-fields.js';
import { headerValue } from '../message/sip-headers.js';
import type { SipMessage, SipRequest } from '../message/sip-message-types.js';
import { createSipResponse } from '../message/sip-response.js';
import { FaxCallSdp } from './fax-call-sdp.js';
import { type SipCallEvent, SipFaxCall } from './sip-fax-call.js';

const kinds = (events: SipCallEvent[]) => events.map((event) => event.type);

/**
 * Makes `side` an end that keeps the call on audio: it never asks for T.38 itself (its re-INVITEs are lost), and every
 * re-INVITE headed to it is answered `status` on its behalf (the ACKs for those answers go nowhere). Give that end
 * `audioFax` too, so its own lost re-INVITE does not end the call.
 */
function audioOnly(link: Link, side: 'caller' | 'callee', status: number): void {
  const other = side === 'caller' ? 'callee' : 'caller';
  const refused = new Set<number>();
  link.drop = (message: SipMessage, to) => {
    if (message.kind !== 'request' || !link.caller || !link.callee) return false;
    if (to === other) return message.method === 'INVITE';
    if (message.method === 'ACK') return refused.has(cseqOf(message).seq);
    if (message.method !== 'INVITE') return false;
    refused.add(cseqOf(message).seq);
    link.deliver(other, createSipResponse(message as SipRequest, status));
    return true;
  };
}

describe('SipFaxCall with audioFax', () => {
  it('as caller, reports the callee’s audio at once and stays on it when the callee refuses T.38 with 488', () => {
    const link = new Link();
    link.calleeOptions = { audioFax: true };
    audioOnly(link, 'callee', 488);
    link.dial({ audioFirst: true, audioFax: true });
    const audio = link.events.caller[0];
    assert.ok(audio?.type === 'audio', JSON.stringify(link.events.caller));
    assert.equal(audio.remote.port, 6070);
    assert.equal(audio.selection.codec, 'PCMU');
    link.run(120_000);
    assert.ok(link.log.filter((entry) => entry === 'caller>INVITE').length >= 2, 'faxd still asked for T.38');
    assert.deepEqual(kinds(link.events.caller), ['audio'], 'no not-fax ending, no T.38');
    assert.equal(link.caller?.state, 'confirmed');
  });

  it('without audioFax, the same refusal ends the call as not-fax', () => {
    const link = new Link();
    link.calleeOptions = { audioFax: true };
    audioOnly(link, 'callee', 488);
    link.dial({ audioFirst: true });
    link.run(120_000);
    const ended = link.events.caller.at(-1);
    assert.ok(ended?.type === 'ended' && ended.failure === 'not-fax', JSON.stringify(link.events.caller));
    assert.ok(!link.events.caller.some((event) => event.type === 'audio'));
  });

  it('as callee, stays on a caller’s audio after a 606 and follows the caller’s own switch to T.38 later', () => {
    const link = new Link();
    link.calleeOptions = { audioFax: true };
    audioOnly(link, 'caller', 606);
    link.dial({ audioFirst: true, audioFax: true, switchDelayMs: 60_000 });
    link.run(45_000);
    assert.deepEqual(kinds(link.events.callee), ['audio']);
    assert.equal(link.callee?.state, 'confirmed', 'the 30 s wait for T.38 does not end the call');
    // Now the caller asks for T.38 itself: the callee takes it.
    link.drop = () => false;
    link.run(61_000);
    assert.deepEqual(kinds(link.events.callee), ['audio', 'media']);
  });

  /**
   * A callee that refuses the first INVITE with `status` (its offer of T.38) and answers the next one afresh, never
   * asking for T.38 itself (its re-INVITEs are lost; `audioFax` keeps it on the call when they time out).
   */
  function refusingT38(status: number): Link {
    const link = new Link();
    link.calleeOptions = { audioFax: true };
    let offered = 0;
    link.onInvite = (call) => (offered++ === 0 ? call.reject(status, link.now) : call.accept(link.now));
    link.drop = (message, to) => {
      if (message.kind !== 'request' || message.method !== 'INVITE') return false;
      if (to === 'caller') return true;
      // The refused INVITE's user agent has ended: the retry reaches a fresh one, as a new INVITE does.
      if (link.callee?.state === 'ended') link.callee = undefined;
      return false;
    };
    return link;
  }

  for (const status of [488, 606]) {
    it(`as caller, meets ${status} to its T.38 offer by calling again with audio, and never asks for T.38 again`, () => {
      const link = refusingT38(status);
      link.dial({ audioFax: true });
      link.run(120_000);
      const invites = link.log.filter((entry) => entry === 'caller>INVITE');
      assert.equal(invites.length, 2, link.log.join(' '));
      assert.deepEqual(kinds(link.events.caller), ['audio'], JSON.stringify(link.events.caller));
      assert.equal(link.caller?.state, 'confirmed');
      // The user agent that refused ended; the one that took the retry carries audio.
      assert.deepEqual(kinds(link.events.callee), ['ended', 'audio']);
    });
  }

  it('as caller without audioFax, ends as not-fax on the 488 to its T.38 offer, as before', () => {
    const link = refusingT38(488);
    link.dial();
    link.run(120_000);
    assert.equal(link.log.filter((entry) => entry === 'caller>INVITE').length, 1);
    const ended = link.events.caller.at(-1);
    assert.ok(ended?.type === 'ended' && ended.failure === 'not-fax', JSON.stringify(link.events.caller));
  });

  it('once the fax has started on audio, answers a re-INVITE to T.38 with 488 and stays on audio', () => {
    const link = new Link();
    link.calleeOptions = { audioFax: true, switchDelayMs: 60_000 };
    // The callee's own switch is lost, so the caller's is the one that matters.
    link.drop = (message, to) => to === 'caller' && message.kind === 'request' && message.method === 'INVITE';
    link.dial({ audioFirst: true, audioFax: true, switchDelayMs: 10_000 });
    link.run(1_000);
    assert.deepEqual(kinds(link.events.callee), ['audio']);
    link.callee?.holdMedia();
    link.run(40_000);
    assert.ok(link.log.includes('callee>488'), link.log.join(' '));
    assert.deepEqual(kinds(link.events.callee), ['audio'], 'the callee stayed on audio');
    assert.deepEqual(kinds(link.events.caller), ['audio'], 'so did the caller, with audioFax');
    assert.equal(link.callee?.state, 'confirmed');
  });

  it('after a refused switch, repeats the audio description in force, not the refused T.38 offer', () => {
    const sdp = new FaxCallSdp(sipCallOptions(5060, 1).media, '1');
    sdp.offer('audio');
    const inForce = sdp.last;
    sdp.offer('t38');
    assert.match(new TextDecoder().decode(sdp.last), /^m=image/m);
    sdp.withdraw();
    assert.equal(sdp.last, inForce);
    assert.match(new TextDecoder().decode(sdp.last), /^m=audio/m);
  });

  it('takes the far end’s same audio offer again as a refresh (answered 200 once the fax holds the media)', () => {
    const far = new FaxCallSdp(sipCallOptions(5070, 2).media, '2');
    const ours = new FaxCallSdp(sipCallOptions(5060, 1).media, '1');
    const audio = far.offer('audio').body;
    const answer = ours.answer(audio, false);
    assert.equal(answer?.accepted.kind, 'audio');
    ours.current = answer?.accepted;
    assert.equal(ours.isRefreshOf(audio), true);
    assert.equal(ours.isRefreshOf(far.offer('t38').body), false, 'a switch to T.38 is a change');
  });

  it('through a proxy that challenges every INVITE, answers the challenge again for the audio retry after a 488', () => {
    const target = { uri: 'sip:5550100@192.0.2.1:5070', from: 'sip:u5060@192.0.2.1' };
    const credentials = { username: 'fax', password: 'secret' };
    const options = sipCallOptions(5060, 1, { credentials, audioFax: true });
    const { call, output } = SipFaxCall.dial(target, options, 0);
    const challenge = [{ name: 'Proxy-Authenticate', value: 'Digest realm="pbx", nonce="n1", qop="auth"' }];
    const answer = (request: SipMessage | undefined, status: number, at: number) =>
      call.receive(wire(createSipResponse(request as SipRequest, status, { toTag: `t${at}`, headers: challenge })), at);
    const invites: SipRequest[] = [output.send[0] as SipRequest];
    for (const [status, at] of [
      [407, 10],
      [488, 20],
      [407, 30],
    ] as const) {
      const next = answer(invites.at(-1), status, at);
      assert.deepEqual(kinds(next.events), []);
      invites.push(next.send.find((m) => m.kind === 'request' && m.method === 'INVITE') as SipRequest);
    }
    const body = (request: SipRequest | undefined) => new TextDecoder().decode(request?.body);
    const authorized = (request: SipRequest | undefined) =>
      headerValue(request?.headers ?? [], 'Proxy-Authorization') !== undefined;
    // T.38, T.38 with credentials; refused: audio, audio with credentials. One call, CSeq rising.
    assert.deepEqual(
      invites.map((r) => [/^m=image/m.test(body(r)) ? 't38' : 'audio', authorized(r), cseqOf(r).seq]),
      [
        ['t38', false, 1],
        ['t38', true, 2],
        ['audio', false, 3],
        ['audio', true, 4],
      ],
    );
    assert.equal(new Set(invites.map(callIdOf)).size, 1);
  });
});
