// GET /v1/events when the event log cannot be read: the replay a reconnecting client asked for fails, and the stream
// ends (so the client reconnects) instead of staying open without the events it missed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type FaxdDb, openDatabase } from '../store/database.js';
import { requestJson, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';

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
    db = await openDatabase(join(faxd.dataDir, 'faxd.sqlite'));
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
