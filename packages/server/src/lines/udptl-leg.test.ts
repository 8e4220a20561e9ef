import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BilevelPage, createPage, samePixels } from '@faxd/protocol';
import { advanceUntil, ManualClock } from '../testing/manual-clock.js';
import type { LineCallResult } from './fax-line.js';
import type { FaxStationOptions } from './fax-station.js';
import type { DatagramLink, MediaLeg } from './media-leg.js';
import { UdptlLeg } from './udptl-leg.js';

/** A standard-resolution page with a few black bands: enough coded data for many datagrams. */
function bandedPage(): BilevelPage {
  const page = createPage({ width: 1728, height: 60, xResolution: 204, yResolution: 98 });
  for (let row = 0; row < page.height; row += 6) page.data.fill(0xf0, row * page.stride, (row + 2) * page.stride);
  return page;
}

const STATION = { ecm: true, compression: 'mr', redundancy: 1 } as const;

/** A link that delivers each datagram to `deliver` 20 ms later on `clock`, and counts what it carried. */
function memoryLink(clock: ManualClock, deliver: (datagram: Uint8Array) => void) {
  let released = false;
  let sent = 0;
  const link: DatagramLink = {
    send: (datagram) => {
      sent += 1;
      clock.wakeAt(clock.now() + 20, () => deliver(datagram));
    },
    release: async () => {
      released = true;
    },
  };
  return { link, sent: () => sent, released: () => released };
}

function leg(clock: ManualClock, station: FaxStationOptions, link: DatagramLink, limitMs?: number): UdptlLeg {
  return new UdptlLeg({ station, link, cutOutcome: { code: 'local-cancel' }, clock, ...(limitMs && { limitMs }) });
}

describe('UdptlLeg', () => {
  it('carries a whole fax between two legs back to back on a manual clock', async () => {
    const clock = new ManualClock(0);
    const page = bandedPage();
    let answering: MediaLeg | undefined;
    let calling: MediaLeg | undefined;
    const toAnswerer = memoryLink(clock, (datagram) => answering?.receive(datagram));
    const toCaller = memoryLink(clock, (datagram) => calling?.receive(datagram));
    calling = leg(clock, { role: 'calling', ident: 'SENDER', pages: [page], ...STATION }, toAnswerer.link);
    answering = leg(clock, { role: 'answering', ident: 'RECEIVER', ...STATION }, toCaller.link);
    answering.start();
    calling.start();
    const both = Promise.all([calling.done, answering.done]);
    await advanceUntil(clock, both, 120_000);
    const [sent, received] = (await both) as [LineCallResult, LineCallResult];
    assert.deepEqual(sent.outcome, { code: 'ok', pages: 1 });
    assert.deepEqual(received.outcome, { code: 'ok', pages: 1 });
    assert.equal(sent.report.remoteIdent, 'RECEIVER');
    assert.equal(received.report.remoteIdent, 'SENDER');
    assert.equal(received.received.length, 1);
    assert.ok(samePixels(received.received[0] as BilevelPage, page));
    assert.ok(calling.finished && answering.finished);
    assert.ok(toAnswerer.released() && toCaller.released(), 'each leg released its link before reporting');
    clock.advance(1000);
    assert.equal(clock.waiting, 0, 'no leg left a timer behind (the last datagrams in flight have landed)');
  });

  it('cancels the fax when the call limit passes, and reports once the link is released', async () => {
    const clock = new ManualClock(0);
    const nobody = memoryLink(clock, () => {});
    const calling = leg(
      clock,
      { role: 'calling', ident: 'SENDER', pages: [bandedPage()], ...STATION },
      nobody.link,
      5000,
    );
    calling.start();
    await advanceUntil(clock, calling.done, 60_000);
    const result = await calling.done;
    assert.deepEqual(result.outcome, { code: 'local-cancel' });
    assert.ok(clock.now() >= 5000 && clock.now() <= 7000, 'ended by the limit, not by a T.30 timer');
    assert.ok(nobody.released());
  });

  it('abandoned, it stops at once without another datagram and reports the outcome of a cut fax', async () => {
    const clock = new ManualClock(0);
    const quiet = memoryLink(clock, () => {});
    const answering = new UdptlLeg({
      station: { role: 'answering', ident: 'RECEIVER', ...STATION },
      link: quiet.link,
      cutOutcome: { code: 'remote-disconnected' },
      clock,
    });
    answering.start();
    clock.advance(3000);
    const before = quiet.sent();
    answering.abandon();
    const result = await answering.done;
    clock.advance(60_000);
    assert.equal(quiet.sent(), before, 'nothing sent after abandon');
    assert.deepEqual(result.outcome, { code: 'remote-disconnected' });
    assert.equal(answering.hasOutcome, false);
    assert.deepEqual(result.received, []);
  });
});
