// SIP line calls that stay on G.711 audio (`sip.audioFax`, issue 12 item 6), back to back on a manual clock: the fax
// runs in-band on faxd's modems when T.38 is refused, moves to T.38 when the far end switches before it starts, and
// stays on audio (the switch refused with 488) when the far end asks only once the fax has started.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BilevelPage, createPage, type SipMessage, samePixels } from '@faxd/protocol';
import { sipCallOptions } from '@faxd/protocol/testing/sip-call-link';
import { advanceUntil, ManualClock } from '../testing/manual-clock.js';
import { backToBack, bandedPage } from '../testing/sip-call-pair.js';

/** A page of pseudo-random pixels: long enough on the line for the far end to vanish in the middle of it. */
function noisyPage(): BilevelPage {
  const page = createPage({ width: 1728, height: 200, xResolution: 204, yResolution: 98 });
  let state = 12_345;
  for (let i = 0; i < page.data.length; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    page.data[i] = state >>> 23;
  }
  return page;
}

/** Every in-dialog INVITE (a re-INVITE to T.38) is lost: neither end ever leaves audio. */
const noReInvite = (message: SipMessage) =>
  message.kind === 'request' && message.method === 'INVITE' && /;tag=/.test(toHeader(message));

function toHeader(message: SipMessage): string {
  return headerOf(message, 'to');
}

function headerOf(message: SipMessage, name: string): string {
  return message.headers.find((header) => header.name.toLowerCase() === name)?.value ?? '';
}

describe('SipLineCall on audio', () => {
  it('faxes over the call’s PCMU audio when the switch to T.38 never happens, and reports the modem used', async () => {
    const clock = new ManualClock(0);
    const page = bandedPage();
    const pair = backToBack(clock, page, {
      caller: { audioFirst: true, audioFax: true },
      callee: { audioFax: true },
      drop: noReInvite,
    });
    pair.start();
    const both = Promise.all([pair.caller.result, pair.calleeResult]);
    await advanceUntil(clock, both, 300_000);
    const [sent, received] = await both;
    assert.deepEqual(pair.carried, [
      { role: 'calling', kind: 'audio', codec: 'PCMU' },
      { role: 'answering', kind: 'audio', codec: 'PCMU' },
    ]);
    assert.deepEqual(sent.outcome, { code: 'ok', pages: 1 });
    assert.deepEqual(received.outcome, { code: 'ok', pages: 1 });
    assert.equal(sent.failure, undefined);
    assert.equal(received.failure, undefined);
    assert.equal(sent.report.dcs?.modem, 'v17');
    assert.equal(sent.report.dcs?.bitRate, 14400);
    assert.ok(samePixels(received.received[0] as BilevelPage, page));
    assert.ok(pair.media.caller.released() && pair.media.callee.released());
  });

  it('faxes over PCMA when that is the law the callee takes', async () => {
    const clock = new ManualClock(0);
    const page = bandedPage();
    const media = sipCallOptions(5070, 2).media;
    const pair = backToBack(clock, page, {
      caller: { audioFirst: true, audioFax: true },
      callee: { audioFax: true, media: { ...media, audio: { codecs: ['PCMA'], telephoneEvent: false } } },
      drop: noReInvite,
    });
    pair.start();
    const both = Promise.all([pair.caller.result, pair.calleeResult]);
    await advanceUntil(clock, both, 300_000);
    const [sent, received] = await both;
    assert.deepEqual(
      pair.carried.map((leg) => leg.codec),
      ['PCMA', 'PCMA'],
    );
    assert.deepEqual(sent.outcome, { code: 'ok', pages: 1 });
    assert.ok(samePixels(received.received[0] as BilevelPage, page));
  });

  it('gives up the audio leg for T.38 when the callee switches before the first fax frame', async () => {
    const clock = new ManualClock(0);
    const page = bandedPage();
    const pair = backToBack(clock, page, {
      caller: { audioFirst: true, audioFax: true },
      callee: { audioFax: true },
    });
    pair.start();
    const both = Promise.all([pair.caller.result, pair.calleeResult]);
    await advanceUntil(clock, both, 120_000);
    const [sent, received] = await both;
    // The caller heard the callee's audio first; the callee asked for T.38 at once, and both faxed over it.
    assert.deepEqual(
      pair.carried.map((leg) => `${leg.role}:${leg.kind}`),
      ['calling:audio', 'answering:audio', 'calling:t38', 'answering:t38'],
    );
    assert.deepEqual(sent.outcome, { code: 'ok', pages: 1 });
    assert.deepEqual(received.outcome, { code: 'ok', pages: 1 });
    assert.ok(samePixels(received.received[0] as BilevelPage, page));
    assert.ok(pair.media.caller.released() && pair.media.callee.released());
  });

  it('refuses with 488 a re-INVITE to T.38 that arrives once the fax has started on audio, and the fax completes', async () => {
    const clock = new ManualClock(0);
    const page = bandedPage();
    let faxStarted = false;
    const answers: number[] = [];
    const pair = backToBack(clock, page, {
      caller: { audioFirst: true, audioFax: true },
      callee: { audioFax: true },
      // The callee asks for T.38 as soon as it is confirmed; its re-INVITE is lost (retransmissions too) until the
      // caller has heard the callee's DIS, then a retransmission gets through.
      drop: (message, to) => {
        if (to === 'callee' && message.kind === 'response' && /INVITE/.test(headerOf(message, 'cseq'))) {
          answers.push(message.status);
        }
        return to === 'caller' && noReInvite(message) && !faxStarted;
      },
      onEvent: (role, event) => {
        if (role === 'calling' && event.type === 'remote-capabilities') faxStarted = true;
      },
    });
    pair.start();
    const both = Promise.all([pair.caller.result, pair.calleeResult]);
    await advanceUntil(clock, both, 300_000);
    const [sent, received] = await both;
    assert.ok(faxStarted);
    // Every answer the caller gave to an INVITE was to the late re-INVITE: 488, never a 200 taking T.38.
    assert.ok(answers.length > 0 && answers.every((status) => status === 488), `answers: ${answers.join(', ')}`);
    assert.deepEqual(
      pair.carried.map((leg) => `${leg.role}:${leg.kind}`),
      ['calling:audio', 'answering:audio'],
    );
    assert.deepEqual(sent.outcome, { code: 'ok', pages: 1 });
    assert.deepEqual(received.outcome, { code: 'ok', pages: 1 });
    assert.equal(received.failure, undefined);
    assert.ok(samePixels(received.received[0] as BilevelPage, page));
  });

  it('ends in a clear failure within the T.30 timers when the far end vanishes mid-page on audio', async () => {
    const clock = new ManualClock(0);
    const page = noisyPage();
    let vanishedAt: number | undefined;
    const pair = backToBack(clock, page, {
      caller: { audioFirst: true, audioFax: true },
      callee: { audioFax: true },
      drop: (message, to) => noReInvite(message) || (vanishedAt !== undefined && to === 'callee'),
      onEvent: (role, event) => {
        // A second into the page the sender is gone: no more audio, no SIP, no BYE.
        if (role !== 'answering' || event.type !== 'page-started' || vanishedAt !== undefined) return;
        clock.wakeAt(clock.now() + 1_000, () => {
          vanishedAt = clock.now();
          pair.media.caller.mute = true;
        });
      },
    });
    pair.start();
    await advanceUntil(clock, pair.calleeResult, 300_000);
    const received = await pair.calleeResult;
    assert.ok(vanishedAt !== undefined, 'the page started');
    assert.notEqual(received.outcome.code, 'ok', JSON.stringify(received.outcome));
    assert.equal(received.received.length, 0, 'no page was confirmed');
    // T.30's T1/T2 bound the wait: well within a minute of the silence, the receiver has given up and hung up.
    assert.ok(clock.now() - vanishedAt < 60_000, `ended ${clock.now() - vanishedAt} ms after the sender vanished`);
    assert.ok(pair.media.callee.released());
  });

  it('without audioFax, a call that stays on audio ends as not-fax and no leg starts', async () => {
    const clock = new ManualClock(0);
    const pair = backToBack(clock, bandedPage(), {
      caller: { audioFirst: true, t38WaitMs: 30_000 },
      callee: { t38WaitMs: 30_000 },
      drop: noReInvite,
    });
    pair.start();
    await advanceUntil(clock, pair.caller.result, 120_000);
    const result = await pair.caller.result;
    assert.equal(result.failure, 'not-fax');
    assert.deepEqual(pair.carried, []);
  });
});
