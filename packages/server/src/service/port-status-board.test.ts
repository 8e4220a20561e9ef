// The port activity nodes sharing PostgreSQL show one another: what one node's port does is read by another as the
// same FaxStatus, its elapsed time worked out at reading (the row is not rewritten as time passes), changes that come
// together written together, and the port idle again once its call has left it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseFaxdConfig } from '../config/faxd-config.js';
import type { FaxLine } from '../lines/fax-line.js';
import { type FaxdDb, openDatabase } from '../store/database.js';
import { ManualClock } from '../testing/manual-clock.js';
import { createTestDatabase } from '../testing/postgres-server.js';
import { PortRuntime } from './port-runtime.js';
import { PortStatusBoard } from './port-status-board.js';

const START_MS = Date.parse('2026-12-01T10:00:00.000Z');

describe('PortStatusBoard', () => {
  let writerDb: FaxdDb;
  let readerDb: FaxdDb;
  before(async () => {
    const url = await createTestDatabase();
    writerDb = await openDatabase({ kind: 'postgres', url });
    readerDb = await openDatabase({ kind: 'postgres', url });
  });
  after(async () => {
    await writerDb.destroy();
    await readerDb.destroy();
  });

  it('shows another node a port’s call as it changes, and the port idle once the call has left it', async () => {
    const [config] = parseFaxdConfig({
      lines: [
        { id: 5, name: 'Line 5', kind: 'sandbox', peer: 6 },
        { id: 6, name: 'Line 6', kind: 'sandbox', peer: 5 },
      ],
    }).lines;
    assert.ok(config);
    // PortRuntime reads only whether its line is busy.
    const port = new PortRuntime(config, { busy: false } as FaxLine, () => {});
    const faults: string[] = [];
    const clock = new ManualClock(START_MS);
    const writer = new PortStatusBoard(writerDb, 'c', clock, (what) => faults.push(what));
    const reader = new PortStatusBoard(readerDb, 'b', clock, (what) => faults.push(what));

    await writer.post([port]);
    const idle = (await reader.read([5])).get(5);
    assert.equal(idle?.nodeId, 'c');
    assert.equal(idle?.status.description, 'Available');
    assert.equal(idle?.status.send, false);
    assert.equal(idle?.jobId, null);

    port.begin(
      {
        direction: 'sending',
        jobId: 'job-1',
        startMs: clock.now(),
        address: '5550002',
        callerId: '',
        csid: '',
        tsid: 'NODE-C',
        currentPage: 0,
        documentName: 'letter.pdf',
        documentSize: 1234,
        pageCount: 3,
        recipientName: 'Ann',
        routingString: '',
        senderName: 'Bob',
        submittedTime: new Date(START_MS).toISOString(),
      },
      'Dialing',
    );
    // Changes in one burst, while the first write is under way: the row ends up with the newest of each.
    port.remoteIdentified('job-1', 'FAR END');
    port.callReported('job-1', { media: 't38', modem: 'V.17', bitRate: 14400, ecm: true });
    port.pageStarted('job-1', 1);
    port.pageStarted('job-1', 2);
    await writer.written();

    clock.advance(42_000);
    const rowBefore = await readerDb.selectFrom('port_status').select('status').where('device_id', '=', 5).execute();
    const sending = (await reader.read([5])).get(5);
    assert.deepEqual(sending?.status, port.status(clock.now()), 'the FaxStatus the owning node shows');
    assert.equal(sending?.status.currentPage, 2);
    assert.equal(sending?.status.csid, 'FAR END');
    assert.equal(sending?.status.elapsedTime, 42, 'worked out at reading');
    assert.equal(sending?.jobId, 'job-1');
    assert.equal(sending?.direction, 'sending');
    assert.deepEqual(sending?.call, { media: 't38', modem: 'V.17', bitRate: 14400, ecm: true });
    clock.advance(10_000);
    assert.equal((await reader.read([5])).get(5)?.status.elapsedTime, 52);
    const rowAfter = await readerDb.selectFrom('port_status').select('status').where('device_id', '=', 5).execute();
    assert.deepEqual(rowAfter, rowBefore, 'time passing writes nothing');

    port.end('job-1');
    await writer.written();
    const ended = (await reader.read([5])).get(5);
    assert.equal(ended?.status.description, 'Available');
    assert.equal(ended?.status.currentPage, null);
    assert.equal(ended?.jobId, null);
    assert.equal(ended?.call, null);
    assert.deepEqual(faults, []);
  });
});
