import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeSdp } from '../../sdp/sdp.js';
import { DEFAULT_T38_CAPABILITIES } from '../../sdp/t38-offer-answer.js';
import { Link, sipCallOptions, wire } from '../../testing/sip-call-link.js';
import { cseqOf } from '../message/sip-fields.js';
import { headerValue } from '../message/sip-headers.js';
import type { SipHeader, SipMessage, SipRequest, SipResponse } from '../message/sip-message-types.js';
import { createSipResponse } from '../message/sip-response.js';
import { BRANCH_MAGIC_COOKIE } from '../message/via.js';
import { FaxCallSdp } from './fax-call-sdp.js';
import { createDialogRequest, dialogFromResponse } from './sip-dialog.js';
import { SipFaxCall } from './sip-fax-call.js';

const label = (message: SipMessage) => (message.kind === 'request' ? message.method : String(message.status));

function withHeaders(message: SipMessage, headers: SipHeader[], drop: string[] = []): SipMessage {
  const kept = message.headers.filter((header) => !drop.includes(header.name));
  return { ...message, headers: [...kept, ...headers] };
}

/**
 * A link whose first message matching `pick` is rewritten by `change` on the way: how a PBX's INVITE or 2xx with
 * its own Session-Expires or Allow reaches faxd.
 */
function rewriting(pick: (message: SipMessage) => boolean, change: (message: SipMessage) => SipMessage): Link {
  const link = new Link();
  let done = false;
  link.drop = (message, to) => {
    if (done || !pick(message)) return false;
    done = true;
    link.deliver(to, wire(change(message)));
    return true;
  };
  return link;
}

const isInvite = (message: SipMessage) => message.kind === 'request' && message.method === 'INVITE';
const isInvite2xx = (message: SipMessage) =>
  message.kind === 'response' && message.status === 200 && cseqOf(message).method === 'INVITE';

describe('RFC 4028 session refreshes', () => {
  it('refreshes with UPDATE at half the interval when the INVITE makes us (the callee) the refresher', () => {
    const link = rewriting(isInvite, (invite) =>
      withHeaders(invite, [{ name: 'Session-Expires', value: '90;refresher=uas' }]),
    );
    link.dial();
    const ok = link.log.indexOf('callee>200');
    assert.ok(ok > 0);
    const media = link.events.callee.length;
    link.run(200_000);
    const refreshes = link.log.filter((entry) => entry === 'callee>UPDATE');
    assert.equal(refreshes.length, 4, `refreshes at 45, 90, 135 and 180 s: ${link.log.join(' ')}`);
    assert.equal(link.log.filter((entry) => entry === 'caller>200').length, 4);
    assert.equal(link.events.callee.length, media, 'no new media event: the UDPTL stream is untouched');
    assert.equal(link.caller?.state, 'confirmed');
    assert.equal(link.callee?.state, 'confirmed');
  });

  it('names itself refresher in the 200 when the INVITE leaves the choice and does not support timers', () => {
    const seen: SipMessage[] = [];
    const link = rewriting(isInvite, (invite) =>
      withHeaders(invite, [{ name: 'Session-Expires', value: '120' }], ['Supported']),
    );
    const drop = link.drop;
    link.drop = (message, to) => {
      seen.push(message);
      return drop(message, to);
    };
    link.dial();
    const ok = seen.find(isInvite2xx) as SipResponse;
    assert.equal(headerValue(ok.headers, 'Session-Expires'), '120;refresher=uas');
    assert.equal(headerValue(ok.headers, 'Require'), undefined);
    link.run(61_000);
    assert.deepEqual(
      link.log.filter((entry) => entry.endsWith('UPDATE')),
      ['callee>UPDATE'],
    );
  });

  it('refreshes as the caller when the 2xx names the caller, by re-INVITE with the same description without UPDATE', () => {
    const seen: SipMessage[] = [];
    const link = rewriting(isInvite2xx, (ok) =>
      withHeaders(
        ok,
        [
          { name: 'Session-Expires', value: '1800;refresher=uac' },
          { name: 'Allow', value: 'INVITE, ACK, BYE, CANCEL' },
        ],
        ['Allow'],
      ),
    );
    const drop = link.drop;
    link.drop = (message, to) => {
      seen.push(message);
      return drop(message, to);
    };
    link.dial();
    const mediaEvents = [link.events.caller.length, link.events.callee.length];
    link.run(899_000);
    assert.equal(link.log.filter((entry) => entry === 'caller>INVITE').length, 1, 'nothing before 900 s');
    link.run(901_000);
    const invites = seen.filter((message) => isInvite(message) && message !== seen[0]) as SipRequest[];
    const refresh = invites.find((invite) => headerValue(invite.headers, 'Session-Expires'));
    assert.ok(refresh, link.log.join(' '));
    assert.equal(headerValue(refresh.headers, 'Session-Expires'), '1800;refresher=uac');
    assert.deepEqual(refresh.body, (seen[0] as SipRequest).body, 'the first offer again, same version');
    assert.deepEqual(link.log.slice(-3), ['caller>INVITE', 'callee>200', 'caller>ACK']);
    assert.deepEqual([link.events.caller.length, link.events.callee.length], mediaEvents);
  });

  it('hangs up with BYE when a refresh finds no session (481)', () => {
    const link = rewriting(isInvite, (invite) =>
      withHeaders(invite, [{ name: 'Session-Expires', value: '90;refresher=uas' }]),
    );
    link.dial();
    const callee = link.callee as SipFaxCall;
    // The caller forgot the dialog: from now on the callee's requests are answered 481 by hand.
    const answered: string[] = [];
    link.drop = (message, to) => {
      if (to !== 'caller' || message.kind !== 'request') return false;
      answered.push(message.method);
      if (message.method !== 'ACK') link.take('caller', { send: [createSipResponse(message, 481)], events: [] });
      return true;
    };
    link.run(46_000);
    assert.deepEqual(answered, ['UPDATE', 'BYE']);
    const ended = link.events.callee.at(-1);
    assert.ok(ended?.type === 'ended' && ended.failure === 'call-aborted', JSON.stringify(ended));
    assert.equal(callee.state, 'ended');
  });

  it('retries at the far end’s Min-SE after a 422', () => {
    const link = rewriting(isInvite, (invite) =>
      withHeaders(invite, [{ name: 'Session-Expires', value: '90;refresher=uas' }]),
    );
    link.dial();
    const updates: SipRequest[] = [];
    link.drop = (message, to) => {
      if (to !== 'caller' || message.kind !== 'request' || message.method !== 'UPDATE') return false;
      updates.push(message);
      if (updates.length === 1) {
        const tooSmall = createSipResponse(message, 422, { headers: [{ name: 'Min-SE', value: '600' }] });
        link.take('caller', { send: [tooSmall], events: [] });
        return true;
      }
      return false;
    };
    link.run(46_000);
    assert.deepEqual(
      updates.map((update) => headerValue(update.headers, 'Session-Expires')),
      ['90;refresher=uac', '600;refresher=uac'],
    );
    link.run(344_000);
    assert.equal(updates.length, 2, 'the next refresh waits half of 600 s');
    link.run(346_000);
    assert.equal(updates.length, 3);
    assert.equal(link.callee?.state, 'confirmed');
  });
});

describe('an INVITE without a description (RFC 3264 §4: offer in the 2xx, answer in the ACK)', () => {
  function offerless(): { invite: SipRequest; callee: SipFaxCall; ok: SipResponse } {
    const { output } = SipFaxCall.dial(
      { uri: 'sip:7100@192.0.2.1:5070', from: 'sip:u5060@192.0.2.1' },
      sipCallOptions(5060, 1),
      0,
    );
    const sent = output.send[0] as SipRequest;
    const invite = wire({
      ...sent,
      headers: sent.headers.filter((header) => header.name !== 'Content-Type'),
      body: new Uint8Array(0),
    }) as SipRequest;
    const { call: callee } = SipFaxCall.incoming(invite, sipCallOptions(5070, 2), 0);
    const ok = callee.accept(0).send.find((message) => label(message) === '200') as SipResponse;
    return { invite, callee, ok: wire(ok) as SipResponse };
  }

  function ackFor(invite: SipRequest, ok: SipResponse, body?: Uint8Array): SipRequest {
    const dialog = dialogFromResponse(invite, ok, cseqOf(invite).seq);
    const via = {
      transport: 'UDP',
      host: '192.0.2.1',
      port: 5060,
      params: new Map([['branch', `${BRANCH_MAGIC_COOKIE}ack`]]),
    };
    return wire(
      createDialogRequest(dialog, 'ACK', via, {
        cseq: cseqOf(invite).seq,
        ...(body && { headers: [{ name: 'Content-Type', value: 'application/sdp' }], body }),
      }),
    ) as SipRequest;
  }

  it('offers T.38 in its 200 and starts the fax on the answer the ACK carries', () => {
    const { invite, callee, ok } = offerless();
    const offer = decodeSdp(ok.body);
    assert.deepEqual(
      offer.media.map((media) => [media.type, media.port]),
      [['image', 6070]],
    );
    const peer = new FaxCallSdp(
      {
        address: '198.51.100.7',
        port: 40_000,
        t38: DEFAULT_T38_CAPABILITIES,
        audio: { codecs: ['PCMU'], telephoneEvent: false },
      },
      '77',
    );
    const answer = peer.answer(ok.body, true);
    assert.ok(answer);
    const output = callee.receive(ackFor(invite, ok, answer.body), 10);
    assert.equal(callee.state, 'confirmed');
    const media = output.events[0];
    assert.ok(media?.type === 'media', JSON.stringify(output.events));
    assert.deepEqual(media.remote, { address: '198.51.100.7', port: 40_000 });
    assert.equal(callee.advance(1_000).send.length, 0, 'the 200 is no longer repeated');
  });

  it('hangs up as not-fax when the ACK brings no usable answer', () => {
    const { invite, callee, ok } = offerless();
    const output = callee.receive(ackFor(invite, ok), 10);
    assert.deepEqual(output.send.map(label), ['BYE']);
    const ended = output.events.at(-1);
    assert.ok(ended?.type === 'ended' && ended.failure === 'not-fax', JSON.stringify(output.events));
  });
});
