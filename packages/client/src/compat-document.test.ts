// The compat FaxDocument's checks, made before anything is sent as COM makes them before a submission; the submission
// itself runs against a real faxd in packages/cli (broadcast-sdk.test.ts, with the README's script).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FaxDocument,
  FaxServer,
  fcptLOCAL,
  fcptSERVER,
  fptHIGH,
  fstDISCOUNT_PERIOD,
  fstSPECIFIC_TIME,
} from './compat.js';

describe('compat FaxDocument', () => {
  it('keeps its recipients as a 1-based collection whose items can still be changed', () => {
    const doc = new FaxDocument();
    const ann = doc.Recipients.Add('5550101', 'Ann');
    doc.Recipients.Add('5550102');
    doc.Recipients.Add('5550103', 'Cy');
    ann.Name = 'Ann Example';
    doc.Recipients.Remove(2);
    assert.equal(doc.Recipients.Count, 2);
    assert.equal(doc.Recipients.Item(1).Name, 'Ann Example');
    assert.equal(doc.Recipients.Item(2).FaxNumber, '5550103');
    assert.deepEqual(
      [...doc.Recipients].map((r) => r.FaxNumber),
      ['5550101', '5550103'],
    );
    for (const index of [0, 3, 1.5]) assert.throws(() => doc.Recipients.Item(index), RangeError);
    assert.throws(() => doc.Recipients.Remove(3), RangeError);
    assert.equal(doc.Priority, 0, 'fptLOW, as COM has it for a new document');
    assert.equal(doc.SubmissionId, '');
  });

  it('refuses a document COM would refuse, before connecting', async () => {
    // Never connected: each check must come before the server is needed.
    const server = new FaxServer();
    const doc = new FaxDocument();
    doc.Body = new TextEncoder().encode('a note');
    await assert.rejects(doc.ConnectedSubmit(server), { name: 'TypeError', message: /no recipients/ });
    doc.Recipients.Add('5550101');
    doc.Body = '';
    await assert.rejects(doc.ConnectedSubmit(server), { name: 'TypeError', message: /no Body/ });
    doc.Body = new TextEncoder().encode('a note');
    doc.Priority = fptHIGH + 1;
    await assert.rejects(doc.ConnectedSubmit(server), { name: 'RangeError', message: /Priority 3/ });
    doc.Priority = fptHIGH;
    doc.ScheduleType = fstSPECIFIC_TIME;
    await assert.rejects(doc.ConnectedSubmit(server), { name: 'TypeError', message: /ScheduleTime/ });
    doc.ScheduleType = fstDISCOUNT_PERIOD + 1;
    await assert.rejects(doc.ConnectedSubmit(server), { name: 'RangeError', message: /ScheduleType 3/ });
    doc.ScheduleType = fstDISCOUNT_PERIOD;
    // A personal cover page file is refused, as on a Windows server that allows only its own cover pages.
    doc.CoverPageType = fcptLOCAL;
    await assert.rejects(doc.ConnectedSubmit(server), { name: 'TypeError', message: /fcptSERVER/ });
    doc.CoverPageType = fcptSERVER + 1;
    await assert.rejects(doc.ConnectedSubmit(server), { name: 'RangeError', message: /CoverPageType 3/ });
    doc.CoverPageType = fcptSERVER;
    await assert.rejects(doc.ConnectedSubmit(server), { message: /not connected/ });
  });
});
