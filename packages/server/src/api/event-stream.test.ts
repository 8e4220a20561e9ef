// GET /v1/events when the event log cannot be read: the replay a reconnecting client asked for fails, and the stream
// ends (so the client reconnects) instead of staying open without the events it missed. And when the events asked
// for are past the log's retention: the client gets what is left, after a comment saying what it missed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { FaxdDb } from '../store/database.js';
import { requestJson, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';
import { ManualClock } from '../testing/manual-clock.js';
import { openTestStore } from '../testing/test-store.js';

/** The whole body of a stream that the server ends; the signal keeps a stream that never ends from hanging the file. */
async function wholeStream(url: string, lastEventId: string): Promise<string> {
  const response = await fetch(url, { headers: { 'last-event-id': lastEventId }, signal: AbortSignal.timeout(60_000) });
  assert.equal(response.status, 200);
  return response.text();
}

describe('event stream replay from a store that fails', () => {
  let faxd: TestFaxd;
  let db: FaxdDb;
  before(async () => {
    faxd = await startTestFaxd();
    db = await openTestStore(faxd.dataDir);
  });
  after(async () => {
    await db.destroy();
    await faxd.dispose();
  });

  it('ends the stream when the replay cannot be read, and replays once the log is back', async () => {
    await requestJson(faxd.url, '/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    await faxd.service.hub.flushed();
    await sql`ALTER TABLE events RENAME TO events_away`.execute(db);
    const cut = await wholeStream(`${faxd.url}/v1/events`, '0');
    assert.equal(cut, ': faxd events\n\n', 'the stream ended before any event');

    await sql`ALTER TABLE events_away RENAME TO events`.execute(db);
    const response = await fetch(`${faxd.url}/v1/events`, { headers: { 'last-event-id': '0' } });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('event: queuesStatusChange')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    assert.match(text, /id: \d+\nevent: queuesStatusChange\n/);
  });
});

/** The stream's text up to and including the message with `id: lastId`. */
async function streamUpTo(url: string, lastEventId: string, lastId: number): Promise<string> {
  const response = await fetch(url, { headers: { 'last-event-id': lastEventId }, signal: AbortSignal.timeout(60_000) });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let text = '';
  while (!text.includes(`id: ${lastId}\n`)) text += new TextDecoder().decode((await reader.read()).value);
  await reader.cancel();
  return text;
}

describe('event stream replay past the retention window', () => {
  it('prunes on the service clock and replays what is left after a comment naming what was pruned', async () => {
    const clock = new ManualClock();
    const faxd = await startTestFaxd({ events: { keepDays: 0, keepCount: 3 } }, undefined, { clock });
    try {
      for (const paused of [true, false, true, false, true]) {
        await requestJson(faxd.url, '/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: paused } });
      }
      await faxd.service.hub.flushed();
      const all = await faxd.service.hub.since(0, 0x3ff);
      const newest = all.at(-1)?.seq ?? 0;
      assert.ok(all.length > 3, 'more events than the window before the periodic prune');

      // The hourly housekeeping on the service's clock prunes the log to its last three events.
      clock.advance(60 * 60 * 1000);
      await faxd.service.hub.flushed();
      const kept = await faxd.service.hub.since(0, 0x3ff);
      assert.deepEqual(
        kept.map(({ seq }) => seq),
        [newest - 2, newest - 1, newest],
      );

      const text = await streamUpTo(`${faxd.url}/v1/events`, '1', newest);
      const notice = `: events 2 to ${newest - 3} are past the event log's retention; the replay starts at ${newest - 2}\n\n`;
      assert.ok(text.startsWith(`: faxd events\n\n${notice}id: ${newest - 2}\n`), text);
      assert.deepEqual(
        [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1])),
        [newest - 2, newest - 1, newest],
      );

      // A client within the window gets no notice.
      const recent = await streamUpTo(`${faxd.url}/v1/events`, String(newest - 2), newest);
      assert.ok(recent.startsWith(`: faxd events\n\nid: ${newest - 1}\n`), recent);
    } finally {
      await faxd.dispose();
    }
  });
});
