// `fax send --cover` and the compat FaxDocument's CoverPage (issue 15) against a real faxd with sandbox lines and a
// folder of cover page templates: the fax goes with its cover first, FaxJobStatus counts it, the page received is the
// cover the test expects; an unknown template is refused before anything is queued.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FaxServer } from '@faxd/client';
import { FaxServer as CompatFaxServer, FaxDocument, fcptSERVER, fstSPECIFIC_TIME } from '@faxd/client/compat';
import { FAX_JOB_STATUS_ENUM } from '@faxd/contract';
import { type BilevelPage, readTiff } from '@faxd/protocol';
import { type RunningFaxd, startFaxd } from '@faxd/server';
import { drawnText, FINE_HEADER_ROWS, samePixelsBelow } from '@faxd/server/testing/drawn-text';
import { firstInboxFax } from '@faxd/server/testing/faxd-fixture';
import { inProcessTestKeys } from '@faxd/server/testing/test-store';
import { runFax } from '../testing/fax-process.js';

const S = FAX_JOB_STATUS_ENUM;
const TEMPLATE =
  'Cover for {recipientName} ({recipientNumber}) from {senderName} of {senderCompany}\n{subject}: {note}\n';

let faxd: RunningFaxd;
let workDir: string;

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'faxd-cli-cover-'));
  writeFileSync(join(workDir, 'note.txt'), 'A note with a cover page.\n');
  mkdirSync(join(workDir, 'covers'));
  writeFileSync(join(workDir, 'covers', 'short.txt'), TEMPLATE);
  faxd = await startFaxd({
    listen: '127.0.0.1:0',
    dataDir: join(workDir, 'var'),
    ...(await inProcessTestKeys(join(workDir, 'var'))),
    coverPages: { folder: join(workDir, 'covers'), sender: { company: 'Example Ltd' } },
    lines: [
      // A sandbox pair: the real T.30 engine on a virtual clock, so the faxes cost no real-time wait.
      { id: 1, name: 'Sending', kind: 'sandbox', peer: 2 },
      { id: 2, name: 'Receiving', kind: 'sandbox', peer: 1 },
    ],
  });
});

after(async () => {
  await faxd.close();
  rmSync(workDir, { recursive: true, force: true });
});

function fax(args: readonly string[]) {
  return runFax(args, { url: faxd.url, cwd: workDir });
}

/** The pages of a queued or sent job's fax, as the server serves them. */
async function jobPages(jobId: string): Promise<BilevelPage[]> {
  const tiff = new Uint8Array(await (await fetch(`${faxd.url}/v1/jobs/${jobId}/document.tif`)).arrayBuffer());
  return readTiff(tiff).map((entry) => entry.page);
}

describe('fax send --cover against faxd', () => {
  it('sends the cover of the template named, first, counted among the pages', async () => {
    const args = ['send', 'note.txt', '--to', '2', '--line', '1', '--recipient', 'Bob', '--sender', 'Alice'];
    const cover = ['--cover=short', '--subject', 'Figures', '--note', 'see\\nbelow'];
    const result = await fax([...args, ...cover, '--wait', '--json']);
    assert.equal(result.status, 0, result.stderr);
    const final = JSON.parse(result.stdout) as { jobId: string; status: number; pages: number; currentPage: number };
    assert.equal(final.status, S.fjsCOMPLETED);
    assert.equal(final.pages, 2, 'the cover and the note');
    assert.equal(final.currentPage, 2);
    const expected = await drawnText('Cover for Bob (2) from Alice of Example Ltd\nFigures: see\n         below\n');
    const { message, pages } = await firstInboxFax(faxd.url);
    assert.equal(message.pages, 2);
    assert.ok(samePixelsBelow(pages[0] as BilevelPage, expected, FINE_HEADER_ROWS), 'the first page is the cover');
  });

  it('puts the default cover page on with a bare --cover, and on with --subject alone', async () => {
    for (const cover of [['--cover'], ['--subject', 'Only a subject']]) {
      const result = await fax(['send', 'note.txt', '--to', '5550100', '--at', '2099-01-01T00:00:00Z', ...cover]);
      assert.equal(result.status, 0, result.stderr);
      const jobId = result.stdout.trim();
      const job = JSON.parse((await fax(['job', jobId, '--json'])).stdout) as { pages: number };
      assert.equal(job.pages, 2, cover.join(' '));
      assert.equal((await jobPages(jobId)).length, 2);
      assert.equal((await fax(['cancel', jobId])).status, 0);
    }
    const plain = await fax(['send', 'note.txt', '--to', '5550100', '--at', '2099-01-01T00:00:00Z']);
    const jobId = plain.stdout.trim();
    assert.equal(JSON.parse((await fax(['job', jobId, '--json'])).stdout).pages, 1, 'no cover unless asked');
    assert.equal((await fax(['cancel', jobId])).status, 0);
  });

  it('refuses an unknown template, queuing nothing', async () => {
    const before = (await fax(['jobs', '--all', '--json'])).stdout;
    const result = await fax(['send', 'note.txt', '--to', '2', '--cover=letterhead']);
    assert.equal(result.status, 1);
    assert.equal(result.stderr, 'fax: No cover page template named letterhead\n');
    assert.equal((await fax(['jobs', '--all', '--json'])).stdout, before);
    const empty = await fax(['send', 'note.txt', '--to', '2', '--cover=']);
    assert.equal(empty.status, 1);
    assert.match(empty.stderr, /^fax: --cover=TEMPLATE needs a template name/);
  });

  it("gives each recipient of a compat FaxDocument the server's cover page with its own name", async () => {
    const doc = new FaxDocument();
    doc.Body = new TextEncoder().encode('A notice for everyone.\n');
    doc.Recipients.Add('5550101', 'Northwind');
    doc.Recipients.Add('5550102', 'Contoso');
    doc.Sender.Name = 'Facilities';
    doc.CoverPageType = fcptSERVER;
    doc.CoverPage = 'short.txt';
    doc.Subject = 'Notice';
    doc.Note = 'read it';
    doc.ScheduleType = fstSPECIFIC_TIME;
    doc.ScheduleTime = new Date('2099-01-01T00:00:00Z');
    const compat = new CompatFaxServer();
    await compat.Connect(faxd.url);
    let jobIds: string[];
    try {
      jobIds = await doc.ConnectedSubmit(compat);
    } finally {
      compat.Disconnect();
    }
    const server = await FaxServer.connect(faxd.url);
    try {
      for (const [i, name] of ['Northwind', 'Contoso'].entries()) {
        const jobId = jobIds[i] as string;
        assert.equal((await server.getJob(jobId)).status.pages, 2);
        const expected = await drawnText(
          `Cover for ${name} (555010${i + 1}) from Facilities of Example Ltd\nNotice: read it\n`,
        );
        assert.ok(samePixelsBelow((await jobPages(jobId))[0] as BilevelPage, expected), `the cover of ${name}`);
      }
      await server.cancelBroadcast(doc.SubmissionId);
    } finally {
      server.disconnect();
    }
  });
});
