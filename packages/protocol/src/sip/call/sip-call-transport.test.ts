// A fax call over TCP against the same call over UDP, on a manual clock (RFC 3261 §18 transports, §17.1.1.2 and
// §17.2.1 retransmission only over unreliable transports, §19.1.4 Contact transport parameter).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sipCallOptions, wire } from '../../testing/sip-call-link.js';
import { topViaOf } from '../message/sip-fields.js';
import { headerValue } from '../message/sip-headers.js';
import type { SipMessage, SipRequest } from '../message/sip-message-types.js';
import { createNon2xxAck } from '../message/sip-request.js';
import type { SipTransportName } from '../message/via.js';
import { SipFaxCall, type SipFaxCallOptions } from './sip-fax-call.js';

const target = { uri: 'sip:5550100@192.0.2.9:5060', from: 'sip:u5060@192.0.2.9' };

function over(transport: SipTransportName, port: number, seed: number): SipFaxCallOptions {
  return sipCallOptions(port, seed, { local: { host: '192.0.2.1', port, transport } });
}

const labels = (messages: readonly SipMessage[]) =>
  messages.map((message) => (message.kind === 'request' ? message.method : String(message.status)));

/** Everything `call` sends while its clock runs from `from` to `until`, each deadline fired in turn. */
function run(call: SipFaxCall, from: number, until: number): { at: number; sent: string[] }[] {
  const log: { at: number; sent: string[] }[] = [];
  for (let deadline = call.nextDeadline(); deadline !== undefined && deadline <= until; ) {
    const at = Math.max(from, deadline);
    const output = call.advance(at);
    if (output.send.length > 0) log.push({ at, sent: labels(output.send) });
    deadline = call.nextDeadline();
  }
  return log;
}

describe('a SIP fax call over TCP', () => {
  it('names TCP in Via and Contact; a UDP call names neither', () => {
    const tcp = SipFaxCall.dial(target, over('TCP', 5060, 1), 0).output.send[0] as SipRequest;
    assert.equal(topViaOf(wire(tcp)).transport, 'TCP');
    assert.equal(headerValue(tcp.headers, 'Contact'), '<sip:u5060@192.0.2.1:5060;transport=tcp>');
    const udp = SipFaxCall.dial(target, over('UDP', 5060, 1), 0).output.send[0] as SipRequest;
    assert.equal(topViaOf(wire(udp)).transport, 'UDP');
    assert.equal(headerValue(udp.headers, 'Contact'), '<sip:u5060@192.0.2.1:5060>');
  });

  it('sends the INVITE once (no Timer A) and still gives up after 64*T1 (Timer B)', () => {
    const { call } = SipFaxCall.dial(target, over('TCP', 5060, 1), 0);
    assert.deepEqual(run(call, 0, 31_999), []);
    const end = call.advance(32_000);
    assert.deepEqual(end.send, []);
    assert.deepEqual(
      end.events.map((event) => event.type === 'ended' && event.failure),
      ['no-answer'],
    );
    // The same call over UDP repeats its INVITE at T1, 2*T1, 4*T1, … (RFC 3261 §17.1.1.2).
    const { call: udp } = SipFaxCall.dial(target, over('UDP', 5060, 1), 0);
    assert.deepEqual(
      run(udp, 0, 4_000).map((entry) => entry.at),
      [500, 1_500, 3_500],
    );
  });

  it('answers a TCP INVITE with 486 once (no Timer G) and forgets the call at the ACK (Timer I = 0)', () => {
    const invite = wire(SipFaxCall.dial(target, over('TCP', 5070, 3), 0).output.send[0] as SipMessage) as SipRequest;
    const { call } = SipFaxCall.incoming(invite, over('TCP', 5060, 4), 0);
    const busy = call.reject(486, 0).send[0];
    assert.ok(busy?.kind === 'response' && busy.status === 486);
    assert.deepEqual(run(call, 0, 31_000), []);
    assert.equal(call.finished, false);
    call.receive(wire(createNon2xxAck(invite, busy)), 1_000);
    assert.equal(call.finished, true);
  });

  it('hangs up with one BYE over TCP (no Timer E); over UDP the BYE repeats', () => {
    for (const transport of ['TCP', 'UDP'] as const) {
      const { call: caller, output } = SipFaxCall.dial(target, over(transport, 5060, 5), 0);
      const invite = wire(output.send[0] as SipMessage) as SipRequest;
      const { call: callee } = SipFaxCall.incoming(invite, over(transport, 5070, 6), 0);
      const answer = callee.accept(0).send.find((message) => message.kind === 'response' && message.status === 200);
      caller.receive(wire(answer as SipMessage), 10);
      const bye = caller.hangUp(20).send[0] as SipRequest;
      assert.equal(bye.method, 'BYE');
      assert.equal(topViaOf(wire(bye)).transport, transport);
      const repeats = run(caller, 20, 1_000).filter((entry) => entry.sent.includes('BYE'));
      assert.equal(repeats.length, transport === 'TCP' ? 0 : 1, transport);
    }
  });
});
