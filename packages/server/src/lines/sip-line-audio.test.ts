// SIP line calls that stay on G.711 audio (`sip.audioFax`, issue 12 item 6), back to back on a manual clock: the fax
// runs in-band on faxd's modems when T.38 is refused, and moves to T.38 when the far end switches before it starts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BilevelPage, type SipMessage, samePixels } from '@faxd/protocol';
import { advanceUntil, ManualClock } from '../testing/manual-clock.js';
import { backToBack, bandedPage } from '../testing/sip-call-pair.js';

/** Every in-dialog INVITE (a re-INVITE to T.38) is lost: neither end ever leaves audio. */
const noReInvite = (message: SipMessage) =>
  message.kind === 'request' && message.method === 'INVITE' && /;tag=/.test(toHeader(message));

function toHeader(message: SipMessage): string {
  return message.headers.find((header) => header.name.toLowerCase() === 'to')?.value ?? '';
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
      { role: 'calling', kind: 'audio' },
      { role: 'answering', kind: 'audio' },
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
