import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeSipMessage, encodeSipMessage } from '../message/sip-message.js';
import type { SipRequest } from '../message/sip-message-types.js';
import { createNon2xxAck, createSipRequest } from '../message/sip-request.js';
import { createSipResponse } from '../message/sip-response.js';
import { ServerInviteTransaction } from './server-invite-transaction.js';
import { ServerNonInviteTransaction } from './server-non-invite-transaction.js';
import type { TransactionOutput } from './transaction-core.js';
import { transactionKey } from './transaction-key.js';

function incoming(method: string, branch = 'z9hG4bKpbx42'): SipRequest {
  const request = createSipRequest({
    method,
    uri: 'sip:5550100@192.0.2.20',
    via: { transport: 'UDP', host: '192.0.2.10', port: 5060, params: new Map([['branch', branch]]) },
    from: { uri: 'sip:5550199@192.0.2.10', params: new Map([['tag', 'pbx-tag']]) },
    to: { uri: 'sip:5550100@192.0.2.20', params: new Map() },
    callId: 'inbound@192.0.2.10',
    cseq: 101,
  });
  // As it arrives off the wire.
  return decodeSipMessage(encodeSipMessage(request)) as SipRequest;
}

function runTimers(transaction: { advance(now: number): TransactionOutput; nextDeadline(): number | undefined }) {
  const ticks: { at: number; output: TransactionOutput }[] = [];
  for (let at = transaction.nextDeadline(); at !== undefined; at = transaction.nextDeadline()) {
    ticks.push({ at, output: transaction.advance(at) });
  }
  return ticks;
}

describe('INVITE server transaction (RFC 3261 §17.2.1)', () => {
  it('hands the INVITE up, sends 100 Trying, and answers retransmissions with the latest provisional response', () => {
    const invite = incoming('INVITE');
    const transaction = new ServerInviteTransaction(invite);
    const started = transaction.start(0);
    assert.equal(started.deliver, invite);
    assert.equal(started.send.length, 1);
    assert.equal(started.send[0].kind === 'response' && started.send[0].status, 100);
    assert.deepEqual(transaction.receive(invite, 500).send, started.send);
    const ringing = createSipResponse(invite, 180, { toTag: 'fax' });
    assert.deepEqual(transaction.respond(ringing, 600), { send: [ringing] });
    assert.deepEqual(transaction.receive(invite, 1_500), { send: [ringing] });
    assert.equal(transaction.nextDeadline(), undefined);
  });

  it('retransmits a final 486 at T1 doubling to T2 (Timer G) until Timer H gives up at 64*T1', () => {
    const invite = incoming('INVITE');
    const transaction = new ServerInviteTransaction(invite, { sendTrying: false });
    assert.deepEqual(transaction.start(0).send, []);
    const busy = createSipResponse(invite, 486, { toTag: 'fax' });
    assert.deepEqual(transaction.respond(busy, 0), { send: [busy] });
    const ticks = runTimers(transaction);
    const resent = ticks.filter((tick) => tick.output.send.includes(busy)).map((tick) => tick.at);
    assert.deepEqual(resent, [500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    assert.deepEqual(ticks[ticks.length - 1], { at: 32_000, output: { send: [], timeout: true, terminated: true } });
  });

  it('resends the final response on an INVITE retransmission, and stops on the ACK, absorbing ACKs for Timer I (T4)', () => {
    const invite = incoming('INVITE');
    const transaction = new ServerInviteTransaction(invite);
    transaction.start(0);
    const decline = createSipResponse(invite, 603, { toTag: 'fax' });
    transaction.respond(decline, 100);
    assert.deepEqual(transaction.receive(invite, 400), { send: [decline] });
    const ack = createNon2xxAck(invite, decline);
    assert.equal(transactionKey(ack), transaction.key, 'the non-2xx ACK belongs to the INVITE transaction');
    assert.deepEqual(transaction.receive(ack, 700), { send: [] });
    assert.equal(transaction.state, 'Confirmed');
    assert.deepEqual(transaction.receive(ack, 900), { send: [] });
    assert.deepEqual(runTimers(transaction), [{ at: 5_700, output: { send: [], terminated: true } }]);
  });

  it("after a 2xx absorbs INVITE retransmissions, hands the ACK to the TU, sends the TU's 2xx retransmissions, ends on Timer L", () => {
    const invite = incoming('INVITE');
    const transaction = new ServerInviteTransaction(invite);
    transaction.start(0);
    const ok = createSipResponse(invite, 200, { toTag: 'fax' });
    assert.deepEqual(transaction.respond(ok, 1_000), { send: [ok] });
    assert.equal(transaction.state, 'Accepted');
    assert.deepEqual(transaction.receive(invite, 1_200), { send: [] });
    assert.deepEqual(transaction.respond(ok, 1_500), { send: [ok] });
    const ack = { ...createNon2xxAck(invite, ok), method: 'ACK' };
    assert.deepEqual(transaction.receive(ack, 1_600), { send: [], deliver: ack });
    assert.throws(() => transaction.respond(createSipResponse(invite, 500), 1_700));
    assert.deepEqual(runTimers(transaction), [{ at: 33_000, output: { send: [], terminated: true } }]);
  });

  it('over a reliable transport does not retransmit and ends at the ACK (Timer I = 0)', () => {
    const invite = incoming('INVITE');
    const transaction = new ServerInviteTransaction(invite, { reliable: true });
    transaction.start(0);
    const busy = createSipResponse(invite, 486, { toTag: 'fax' });
    transaction.respond(busy, 0);
    assert.equal(transaction.nextDeadline(), 32_000, 'only Timer H runs');
    assert.deepEqual(transaction.receive(createNon2xxAck(invite, busy), 50), { send: [], terminated: true });
  });

  it('refuses a second final response (a TU bug)', () => {
    const invite = incoming('INVITE');
    const transaction = new ServerInviteTransaction(invite);
    transaction.start(0);
    transaction.respond(createSipResponse(invite, 486), 0);
    assert.throws(() => transaction.respond(createSipResponse(invite, 200), 1));
  });
});

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  it('absorbs retransmissions while Trying, repeats the provisional, then the final response until Timer J', () => {
    const bye = incoming('BYE');
    const transaction = new ServerNonInviteTransaction(bye);
    assert.deepEqual(transaction.start(0), { send: [], deliver: bye });
    assert.deepEqual(transaction.receive(bye, 500), { send: [] });
    const trying = createSipResponse(bye, 100);
    transaction.respond(trying, 600);
    assert.deepEqual(transaction.receive(bye, 1_500), { send: [trying] });
    const ok = createSipResponse(bye, 200);
    assert.deepEqual(transaction.respond(ok, 1_600), { send: [ok] });
    assert.deepEqual(transaction.receive(bye, 3_500), { send: [ok] });
    assert.throws(() => transaction.respond(ok, 3_600));
    assert.deepEqual(runTimers(transaction), [{ at: 33_600, output: { send: [], terminated: true } }]);
  });

  it('ends at the final response over a reliable transport (Timer J = 0)', () => {
    const options = incoming('OPTIONS');
    const transaction = new ServerNonInviteTransaction(options, { reliable: true });
    transaction.start(0);
    assert.deepEqual(transaction.respond(createSipResponse(options, 200), 5).terminated, true);
  });

  it('keys CANCEL apart from the INVITE it cancels, and an ACK for 2xx (new branch) apart from both', () => {
    const invite = incoming('INVITE');
    const cancel = incoming('CANCEL');
    const ack2xx = incoming('ACK', 'z9hG4bKnewbranch');
    const keys = new Set([transactionKey(invite), transactionKey(cancel), transactionKey(ack2xx)]);
    assert.equal(keys.size, 3);
  });

  it('keys RFC 2543 requests (no magic cookie) by Call-ID, From tag, CSeq number, top Via and Request-URI', () => {
    const old = incoming('INVITE', 'abc');
    const ack = createNon2xxAck(old, createSipResponse(old, 486, { toTag: 'x' }));
    assert.equal(transactionKey(ack), transactionKey(old));
    assert.notEqual(transactionKey(incoming('INVITE')), transactionKey(old));
  });
});
