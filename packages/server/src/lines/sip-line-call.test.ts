// Two SIP line calls back to back on a manual clock: their user agents joined by an in-memory wire, their T.38 legs by
// in-memory media ports, so a whole fax over SIP, and a hang-up in the middle of one, run in milliseconds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BilevelPage, samePixels } from '@faxd/protocol';
import { advanceUntil, ManualClock } from '../testing/manual-clock.js';
import { backToBack, bandedPage } from '../testing/sip-call-pair.js';

describe('SipLineCall', () => {
  it('runs the fax once the call carries T.38, hangs up when it is over, and reports after the media port is released', async () => {
    const clock = new ManualClock(0);
    const page = bandedPage();
    const { caller, calleeResult, media, start } = backToBack(clock, page);
    start();
    const both = Promise.all([caller.result, calleeResult]);
    await advanceUntil(clock, both, 120_000);
    const [sent, received] = await both;
    assert.deepEqual(sent.outcome, { code: 'ok', pages: 1 });
    assert.deepEqual(received.outcome, { code: 'ok', pages: 1 });
    assert.equal(sent.failure, undefined);
    assert.equal(received.failure, undefined);
    assert.ok(samePixels(received.received[0] as BilevelPage, page));
    assert.equal(caller.sip.state, 'ended');
    assert.ok(media.caller.released() && media.callee.released());
  });

  it('a BYE in the middle of the fax cuts it: the call counts as aborted, the leg stops, the port is released', async () => {
    const clock = new ManualClock(0);
    const { caller, callee, calleeResult, media, start } = backToBack(clock, bandedPage());
    start();
    // Far enough in for the call to carry T.38 and the fax to be under way, not far enough for it to be over.
    while (clock.now() < 3_000) {
      clock.advance(100);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(media.caller.port.remote, 'the call carries T.38 by now');
    callee()?.hangUp('the far end hangs up');
    await advanceUntil(clock, caller.result, 60_000);
    const cut = await caller.result;
    assert.equal(cut.failure, 'call-aborted');
    assert.deepEqual(cut.outcome, { code: 'remote-disconnected' });
    assert.ok(media.caller.released());
    const ended = await calleeResult;
    assert.equal(ended.received.length, 0);
  });

  it('answers a call but sends no media until the far end has sent some, then carries the fax', async () => {
    const clock = new ManualClock(0);
    const { caller, calleeResult, media, start } = backToBack(clock, bandedPage());
    // The caller's CNG and everything after it are lost: the callee hears nothing on its media port.
    media.caller.mute = true;
    start();
    await advanceUntil(clock, new Promise((resolve) => clock.wakeAt(10_000, () => resolve(undefined))), 10_000);
    assert.ok(media.caller.port.remote && media.callee.port.remote, 'both ends carry T.38 by now');
    assert.ok(media.caller.sent() > 0, 'the caller announced itself');
    assert.equal(media.callee.sent(), 0, 'the callee answered the call but kept its media to itself');
    // Once the caller's media gets through, the callee's next DIS goes out and the fax runs to its end.
    media.caller.mute = false;
    const both = Promise.all([caller.result, calleeResult]);
    await advanceUntil(clock, both, 120_000);
    const [sent, received] = await both;
    assert.ok(media.callee.sent() > 0);
    assert.deepEqual(sent.outcome, { code: 'ok', pages: 1 });
    assert.deepEqual(received.outcome, { code: 'ok', pages: 1 });
  });
});
