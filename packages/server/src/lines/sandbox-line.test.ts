// Sandbox line pairs on their own, without the service: whole calls through the T.30 engine and T.38 stations on the
// virtual clock, and the outcomes the README's table of numbers promises.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BilevelPage, samePixels, type T30Event } from '@faxd/protocol';
import { numberedPage, readNumberedPage } from '../testing/numbered-faxes.js';
import type { CallListener, IncomingCall, LineCallResult } from './fax-line.js';
import { SandboxLine, sandboxBehaviour } from './sandbox-line.js';

const OPTIONS = { ecm: true, compression: 'mmr' as const };

interface Answered {
  readonly offered: IncomingCall[];
  /** The receptions' session events, all calls together. */
  readonly events: T30Event[];
  readonly stored: number[];
  readonly ended: Promise<LineCallResult>;
}

/**
 * A pair whose second line answers every call, storing pages as a service would (a write that takes a turn); its
 * receptions ask `mayContinue` before each step, and `onStored` hears of each page once written.
 */
function pair(options: { answer?: boolean; mayContinue?: () => boolean; onStored?: (number: number) => void } = {}) {
  const [caller, callee] = SandboxLine.pair({ ...OPTIONS, csid: 'CALLER' }, { ...OPTIONS, csid: 'SANDBOX 6' });
  const offered: IncomingCall[] = [];
  const events: T30Event[] = [];
  const stored: number[] = [];
  let end: (result: LineCallResult) => void = () => {};
  const ended = new Promise<LineCallResult>((resolve) => {
    end = resolve;
  });
  callee.incomingCallHandler = (call) => {
    offered.push(call);
    if (options.answer === false) return undefined;
    return {
      onEvent: (event) => events.push(event),
      storePage: async (_page, number) => {
        await new Promise((resolve) => setImmediate(resolve));
        stored.push(number);
        options.onStored?.(number);
      },
      onEnd: end,
      ...(options.mayContinue && { mayContinue: options.mayContinue }),
    };
  };
  const answered: Answered = { offered, events, stored, ended };
  return { caller, callee, answered };
}

function send(line: SandboxLine, number: string, pages: readonly BilevelPage[]) {
  const events: T30Event[] = [];
  const listener: CallListener = { onEvent: (event) => events.push(event) };
  const placed = line.placeCall({ pages, number, ident: 'SENDER' }, listener);
  return { placed, events };
}

const twoPages = (job: number) => [numberedPage(job, 1), numberedPage(job, 2)];

describe('sandbox line pairs', () => {
  it('deliver a 2-page fax to the partner pixel for pixel, and are free again afterwards', async () => {
    const { caller, callee, answered } = pair();
    const pages = twoPages(41);
    const { placed, events } = send(caller, '+1 555 0100', pages);
    assert.ok(caller.busy && callee.busy, 'the call holds both ends');
    const result = await placed.result;
    assert.deepEqual(result.outcome, { code: 'ok', pages: 2 });
    assert.equal(result.failure, undefined);
    assert.equal(result.report.remoteIdent, 'SANDBOX 6');
    assert.equal(result.report.confirmedWithMcf, 2);
    assert.deepEqual(
      events.filter((e) => e.type === 'page-started').map((e) => e.type === 'page-started' && e.page),
      [1, 2],
    );
    const received = await answered.ended;
    assert.deepEqual(received.outcome, { code: 'ok', pages: 2 });
    assert.equal(received.report.remoteIdent, 'SENDER');
    assert.deepEqual(answered.stored, [1, 2], 'each page was written before it was confirmed');
    assert.equal(received.received.length, 2);
    for (const [i, page] of received.received.entries()) assert.ok(samePixels(page, pages[i] as BilevelPage));
    assert.deepEqual(
      answered.offered.map((call) => [call.callerId, call.calledNumber]),
      [['SENDER', '+1 555 0100']],
    );
    assert.ok(!caller.busy && !callee.busy);
  });

  it('hold the call after each page confirmed until the sender has written it down, so the partner ends last', async () => {
    const { caller, answered } = pair();
    const log: string[] = [];
    const listener: CallListener = {
      onEvent: (event) => {
        if (event.type === 'page-started') log.push(`page ${event.page} begun`);
      },
      // A write slow in real time: the call's virtual clock stands still for it, as for a page being stored.
      recordConfirmed: async (report) => {
        log.push(`writing ${report.confirmedWithMcf}`);
        await new Promise((resolve) => setTimeout(resolve, 30));
        log.push(`written ${report.confirmedWithMcf}`);
      },
    };
    void answered.ended.then((result) => log.push(`partner ended ${result.outcome.code}`));
    const result = await caller.placeCall({ pages: twoPages(5), number: '5550100', ident: 'SENDER' }, listener).result;
    assert.deepEqual(result.outcome, { code: 'ok', pages: 2 });
    await answered.ended;
    assert.deepEqual(log, [
      'page 1 begun',
      'writing 1',
      'written 1',
      'page 2 begun',
      'writing 2',
      'written 2',
      'partner ended ok',
    ]);
  });

  it('answer a call placed from either end', async () => {
    const { caller, callee } = pair();
    const answeredBack: LineCallResult[] = [];
    caller.incomingCallHandler = () => ({ onEvent: () => {}, onEnd: (result) => answeredBack.push(result) });
    const result = await send(callee, '5550100', twoPages(7)).placed.result;
    assert.equal(result.outcome.code, 'ok');
    assert.equal(answeredBack.length, 1);
    assert.deepEqual(answeredBack[0]?.received.map(readNumberedPage), [
      { job: 7, page: 1 },
      { job: 7, page: 2 },
    ]);
  });

  for (const [number, failure] of [
    ['+1 555 010-0002', 'busy'],
    ['5550003', 'no-answer'],
    ['5550005', 'not-fax'],
  ] as const) {
    it(`number ${number} ends the call ${failure} without reaching the partner`, async () => {
      const { caller, answered } = pair();
      const result = await send(caller, number, twoPages(1)).placed.result;
      assert.equal(result.failure, failure);
      assert.equal(result.report.confirmed, 0);
      assert.equal(answered.offered.length, 0);
      assert.ok(!caller.busy);
    });
  }

  it('number …0004 drops the call once page 1 is confirmed: the partner keeps page 1 of a partial fax', async () => {
    const { caller, answered } = pair();
    const result = await send(caller, '5550004', twoPages(3)).placed.result;
    assert.equal(result.failure, undefined, 'a disconnect, not a refusal');
    assert.deepEqual(result.outcome, { code: 'remote-disconnected' });
    assert.equal(result.report.confirmedWithMcf, 1);
    const received = await answered.ended;
    assert.deepEqual(received.outcome, { code: 'remote-disconnected' });
    assert.deepEqual(received.received.map(readNumberedPage), [{ job: 3, page: 1 }]);
  });

  it('a partner that does not answer lets the call ring out', async () => {
    const { caller, answered } = pair({ answer: false });
    const result = await send(caller, '5550100', twoPages(1)).placed.result;
    assert.equal(result.failure, 'no-answer');
    assert.equal(answered.offered.length, 1);
  });

  it('a cancel ends the call with DCN: the sender cancelled, the partner keeps what came', async () => {
    const { caller, answered } = pair();
    const events: T30Event[] = [];
    const placed = caller.placeCall(
      { pages: twoPages(9), number: '5550100', ident: 'SENDER' },
      {
        onEvent: (event) => {
          events.push(event);
          if (event.type === 'page-done' && event.page === 1) placed.cancel();
        },
      },
    );
    const result = await placed.result;
    assert.deepEqual(result.outcome, { code: 'local-cancel' });
    assert.equal(result.report.confirmedWithMcf, 1);
    const received = await answered.ended;
    assert.notEqual(received.outcome.code, 'ok');
    assert.ok(received.received.length <= 1);
  });

  it('stop a call at the first step its node may not take: no page after the one under way is sent', async () => {
    // Both ends are this node's: its lease lapses as page 1 is confirmed to the sender.
    let leaseHeld = true;
    const { caller, callee, answered } = pair({ mayContinue: () => leaseHeld });
    const events: T30Event[] = [];
    const placed = caller.placeCall(
      { pages: [numberedPage(5, 1), numberedPage(5, 2), numberedPage(5, 3)], number: '5550100', ident: 'SENDER' },
      {
        onEvent: (event) => {
          events.push(event);
          if (event.type === 'page-done' && event.page === 1) leaseHeld = false;
        },
        mayContinue: () => leaseHeld,
      },
    );
    const result = await placed.result;
    assert.deepEqual(result.outcome, { code: 'remote-disconnected' }, 'dropped without another word');
    assert.equal(result.report.confirmedWithMcf, 1);
    const received = await answered.ended;
    const pagesOf = (list: T30Event[], type: 'page-started' | 'page-done') =>
      list.flatMap((e) => (e.type === type ? [e.page] : []));
    assert.deepEqual(pagesOf(events, 'page-done'), [1]);
    assert.deepEqual(pagesOf(answered.events, 'page-started'), [1], 'nothing of page 2 reached the far end');
    assert.deepEqual(received.received.map(readNumberedPage), [{ job: 5, page: 1 }]);
    assert.deepEqual(answered.stored, [1]);
    assert.ok(!caller.busy && !callee.busy, 'the pair is free again');
  });

  it('stop a reception before it confirms a page its node stored after losing its lease', async () => {
    let leaseHeld = true;
    const { caller, answered } = pair({
      mayContinue: () => leaseHeld,
      onStored: (number) => {
        if (number === 2) leaseHeld = false;
      },
    });
    const result = await caller.placeCall(
      { pages: [numberedPage(6, 1), numberedPage(6, 2)], number: '5550100', ident: 'SENDER' },
      { onEvent: () => {}, mayContinue: () => leaseHeld },
    ).result;
    assert.notEqual(result.outcome.code, 'ok');
    assert.equal(result.report.confirmedWithMcf, 1, 'page 2 stored, never confirmed');
    const received = await answered.ended;
    assert.notEqual(received.outcome.code, 'ok');
    assert.deepEqual(answered.stored, [1, 2]);
    // The reception keeps only the page it confirmed: the sender calls again with page 2, which must not arrive twice.
    assert.equal(received.received.length, 1);
    assert.ok(samePixels(received.received[0] as BilevelPage, numberedPage(6, 1)));
  });

  it('read the last four digits of the number, whatever separates them', () => {
    assert.equal(sandboxBehaviour('+1 (555) 000-0002'), 'busy');
    assert.equal(sandboxBehaviour('0003'), 'no-answer');
    assert.equal(sandboxBehaviour('555.0004'), 'disconnect-after-page-1');
    assert.equal(sandboxBehaviour('00020'), 'deliver');
    assert.equal(sandboxBehaviour(''), 'deliver');
  });
});
