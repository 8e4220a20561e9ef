// A call flooded with new requests keeps at most MAX_SERVER_TRANSACTIONS server transactions: the rest are answered
// 503 with Retry-After and leave nothing behind, and the call answers normally once the kept ones have wound down.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Link } from '../../testing/sip-call-link.js';
import { headerValue } from '../message/sip-headers.js';
import type { SipRequest, SipResponse } from '../message/sip-message-types.js';
import { MAX_SERVER_TRANSACTIONS } from './sip-call-inbound.js';
import type { SipFaxCall } from './sip-fax-call.js';

/** An OPTIONS in the caller's dialog with a branch of its own: a new server transaction at the callee. */
function options(invite: SipRequest, n: number): SipRequest {
  return {
    ...invite,
    method: 'OPTIONS',
    headers: invite.headers.map((header) => {
      if (header.name === 'Via') return { name: 'Via', value: `SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKflood${n}` };
      if (header.name === 'CSeq') return { name: 'CSeq', value: `${100 + n} OPTIONS` };
      return header;
    }),
    body: new Uint8Array(0),
  };
}

function statuses(callee: SipFaxCall, requests: SipRequest[], now: number): number[] {
  return requests.flatMap((request) =>
    callee.receive(request, now).send.map((message) => (message as SipResponse).status),
  );
}

describe('a call flooded with requests', () => {
  it(`keeps ${MAX_SERVER_TRANSACTIONS} server transactions and answers the rest 503 without keeping them`, () => {
    const link = new Link();
    let invite: SipRequest | undefined;
    link.drop = (message) => {
      if (message.kind === 'request' && message.method === 'INVITE') invite = message;
      return false;
    };
    link.dial();
    const callee = link.callee as SipFaxCall;
    assert.ok(invite && callee.state === 'confirmed');
    const flood = Array.from({ length: 3 * MAX_SERVER_TRANSACTIONS }, (_, n) => options(invite as SipRequest, n));
    const answers = statuses(callee, flood, link.now);
    // The INVITE's own transaction (Accepted, until Timer L) is one of those kept.
    const kept = MAX_SERVER_TRANSACTIONS - 1;
    assert.deepEqual(answers.slice(0, kept), new Array(kept).fill(200));
    assert.deepEqual(answers.slice(kept), new Array(flood.length - kept).fill(503));
    const refused = callee.receive(flood.at(-1) as SipRequest, link.now).send[0] as SipResponse;
    assert.equal(headerValue(refused.headers, 'Retry-After'), '5');
    // A retransmission of a kept request is still answered by its transaction.
    assert.deepEqual(statuses(callee, [flood[0] as SipRequest], link.now), [200]);
    link.run(link.now + 64 * 500);
    assert.deepEqual(statuses(callee, [options(invite, 999)], link.now), [200], 'room again after Timer J');
    assert.equal(callee.state, 'confirmed', 'the flood did not end the call');
  });
});
