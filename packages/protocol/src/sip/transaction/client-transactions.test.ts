import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cseqOf, toOf, topViaOf } from '../message/sip-fields.js';
import { headerValue, headerValues } from '../message/sip-headers.js';
import type { SipMessage, SipRequest, SipResponse } from '../message/sip-message-types.js';
import { createSipRequest } from '../message/sip-request.js';
import { createSipResponse } from '../message/sip-response.js';
import { ClientInviteTransaction } from './client-invite-transaction.js';
import { ClientNonInviteTransaction } from './client-non-invite-transaction.js';
import type { TransactionOutput } from './transaction-core.js';
import { transactionKey } from './transaction-key.js';

function outgoing(method: string, branch = 'z9hG4bKclient1'): SipRequest {
  return createSipRequest({
    method,
    uri: 'sip:5550100@pbx.example',
    via: {
      transport: 'UDP',
      host: '192.0.2.20',
      port: 5060,
      params: new Map([
        ['branch', branch],
        ['rport', null],
      ]),
    },
    from: { displayName: 'faxd', uri: 'sip:fax@192.0.2.20', params: new Map([['tag', 'ftag']]) },
    to: { uri: 'sip:5550100@pbx.example', params: new Map() },
    callId: 'call-1@192.0.2.20',
    cseq: 7,
    headers: [{ name: 'Route', value: '<sip:pbx.example;lr>' }],
  });
}

const reply = (request: SipRequest, status: number) => createSipResponse(request, status, { toTag: 'uas-tag' });

interface Tick {
  at: number;
  output: TransactionOutput;
}

/** Runs the transaction's timers on a manual clock until it has none left or `until` passes. */
function runTimers(
  transaction: { advance(now: number): TransactionOutput; nextDeadline(): number | undefined },
  until = Infinity,
): Tick[] {
  const ticks: Tick[] = [];
  for (let at = transaction.nextDeadline(); at !== undefined && at <= until; at = transaction.nextDeadline()) {
    ticks.push({ at, output: transaction.advance(at) });
  }
  return ticks;
}

const sentAt = (ticks: Tick[], method: string) =>
  ticks
    .filter((tick) => tick.output.send.some((m: SipMessage) => m.kind === 'request' && m.method === method))
    .map((tick) => tick.at);

describe('INVITE client transaction (RFC 3261 §17.1.1)', () => {
  it('retransmits at T1 doubling without a cap (Timer A) and times out at 64*T1 (Timer B)', () => {
    const transaction = new ClientInviteTransaction(outgoing('INVITE'));
    assert.deepEqual(transaction.start(0).send, [transaction.request]);
    const ticks = runTimers(transaction);
    assert.deepEqual(sentAt(ticks, 'INVITE'), [500, 1500, 3500, 7500, 15500, 31500]);
    const last = ticks[ticks.length - 1];
    assert.equal(last.at, 32_000);
    assert.deepEqual(last.output, { send: [], timeout: true, terminated: true });
    assert.equal(transaction.state, 'Terminated');
  });

  it('stops retransmitting and stops Timer B on a provisional response, passing it up', () => {
    const transaction = new ClientInviteTransaction(outgoing('INVITE'));
    transaction.start(0);
    runTimers(transaction, 500);
    const ringing = reply(transaction.request, 180);
    assert.deepEqual(transaction.receive(ringing, 700), { send: [], deliver: ringing });
    assert.equal(transaction.state, 'Proceeding');
    assert.equal(transaction.nextDeadline(), undefined);
  });

  it('ACKs a 486 itself, resends that ACK on retransmissions without bothering the TU, and ends after Timer D', () => {
    const transaction = new ClientInviteTransaction(outgoing('INVITE'));
    transaction.start(0);
    const busy = reply(transaction.request, 486);
    const first = transaction.receive(busy, 1_000);
    assert.equal(first.deliver, busy);
    assert.equal(first.send.length, 1);
    const ack = first.send[0] as SipRequest;
    // §17.1.1.3: Request-URI, Call-ID, From, CSeq number and top Via of the INVITE; To from the response; Route copied.
    assert.equal(ack.method, 'ACK');
    assert.equal(ack.uri, transaction.request.uri);
    assert.deepEqual(headerValues(ack.headers, 'Via'), headerValues(transaction.request.headers, 'Via'));
    assert.equal(headerValue(ack.headers, 'From'), headerValue(transaction.request.headers, 'From'));
    assert.equal(toOf(ack).params.get('tag'), 'uas-tag');
    assert.deepEqual(cseqOf(ack), { seq: 7, method: 'ACK' });
    assert.deepEqual(headerValues(ack.headers, 'Route'), ['<sip:pbx.example;lr>']);
    assert.equal(ack.body.length, 0);
    assert.equal(transaction.state, 'Completed');
    assert.deepEqual(transaction.receive(busy, 1_500), { send: [ack] });
    assert.equal(transaction.nextDeadline(), 33_000);
    assert.deepEqual(transaction.advance(33_000), { send: [], terminated: true });
  });

  it('passes a 2xx and its retransmissions to the TU without ACKing (RFC 6026 Accepted) until Timer M', () => {
    const transaction = new ClientInviteTransaction(outgoing('INVITE'));
    transaction.start(0);
    const ok = reply(transaction.request, 200);
    assert.deepEqual(transaction.receive(ok, 2_000), { send: [], deliver: ok });
    assert.equal(transaction.state, 'Accepted');
    assert.deepEqual(transaction.receive(ok, 2_500), { send: [], deliver: ok });
    assert.deepEqual(runTimers(transaction), [{ at: 34_000, output: { send: [], terminated: true } }]);
  });

  it('over a reliable transport sends once, and a non-2xx final response ends it at once (Timer D = 0)', () => {
    const transaction = new ClientInviteTransaction(outgoing('INVITE'), { reliable: true });
    transaction.start(0);
    assert.equal(transaction.nextDeadline(), 32_000);
    const output = transaction.receive(reply(transaction.request, 503), 100);
    assert.equal(output.send[0]?.kind === 'request' && output.send[0].method, 'ACK');
    assert.equal(output.terminated, true);
  });

  it('scales every timer with T1 and keeps the schedule when the driver is late', () => {
    const transaction = new ClientInviteTransaction(outgoing('INVITE'), { timers: { T1: 100 } });
    transaction.start(0);
    const late = transaction.advance(1_000);
    assert.equal(late.send.length, 3, 'fired at 100, 300 and 700');
    assert.equal(transaction.nextDeadline(), 1_500);
    assert.equal(runTimers(transaction).pop()?.at, 6_400);
  });

  it('refuses to carry anything but INVITE', () => {
    assert.throws(() => new ClientInviteTransaction(outgoing('BYE')));
  });
});

describe('non-INVITE client transaction (RFC 3261 §17.1.2)', () => {
  it('retransmits at 500, 1000, 2000, 4000, 4000… ms (Timer E capped at T2) and times out at 64*T1 (Timer F)', () => {
    const transaction = new ClientNonInviteTransaction(outgoing('REGISTER'));
    transaction.start(0);
    const ticks = runTimers(transaction);
    const times = sentAt(ticks, 'REGISTER');
    assert.deepEqual(
      times.map((at, i) => at - (times[i - 1] ?? 0)),
      [500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000, 4000],
    );
    assert.deepEqual(ticks[ticks.length - 1], { at: 32_000, output: { send: [], timeout: true, terminated: true } });
  });

  it('retransmits every T2 once a provisional response came, and still times out on Timer F', () => {
    const transaction = new ClientNonInviteTransaction(outgoing('BYE'));
    transaction.start(0);
    runTimers(transaction, 500);
    const trying = reply(transaction.request, 100);
    assert.deepEqual(transaction.receive(trying, 600), { send: [], deliver: trying });
    assert.equal(transaction.state, 'Proceeding');
    const ticks = runTimers(transaction);
    assert.deepEqual(sentAt(ticks, 'BYE'), [1500, 5500, 9500, 13500, 17500, 21500, 25500, 29500]);
    assert.equal(ticks[ticks.length - 1].output.timeout, true);
  });

  it('passes the final response up once and absorbs its retransmissions until Timer K (T4)', () => {
    const transaction = new ClientNonInviteTransaction(outgoing('OPTIONS'));
    transaction.start(0);
    const ok = reply(transaction.request, 200);
    assert.deepEqual(transaction.receive(ok, 800), { send: [], deliver: ok });
    assert.equal(transaction.state, 'Completed');
    assert.deepEqual(transaction.receive(ok, 900), { send: [] });
    assert.deepEqual(runTimers(transaction), [{ at: 5_800, output: { send: [], terminated: true } }]);
  });

  it('ends on the final response over a reliable transport (Timer K = 0), with no retransmissions before it', () => {
    const transaction = new ClientNonInviteTransaction(outgoing('OPTIONS'), { reliable: true });
    transaction.start(0);
    assert.equal(transaction.nextDeadline(), 32_000);
    assert.equal(transaction.receive(reply(transaction.request, 404), 50).terminated, true);
  });
});

describe('transaction matching (RFC 3261 §17.1.3, §17.2.3)', () => {
  it('matches responses by top Via branch, sent-by and CSeq method', () => {
    const invite = outgoing('INVITE');
    const key = transactionKey(invite);
    assert.equal(transactionKey(reply(invite, 180)), key);
    const received: SipResponse = {
      ...reply(invite, 200),
      headers: reply(invite, 200).headers.map((h) =>
        h.name === 'Via' ? { name: 'Via', value: `${h.value};received=203.0.113.9` } : h,
      ),
    };
    assert.equal(transactionKey(received), key);
    assert.notEqual(transactionKey(reply(outgoing('INVITE', 'z9hG4bKother'), 180)), key);
    assert.notEqual(transactionKey(outgoing('CANCEL')), key, 'CANCEL is its own transaction');
    assert.equal(topViaOf(outgoing('CANCEL')).params.get('branch'), 'z9hG4bKclient1');
  });
});
