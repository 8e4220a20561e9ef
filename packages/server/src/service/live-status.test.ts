// What a client watching a fax sees, against the seeds: each job-changed event carries a FaxJobStatus that differs
// from the one before it, a port's Description reaches Completed as its call completes and Aborting once its job is
// canceled (a cancel is never hidden by pages still coming in), and RecipientName while receiving names the line. The
// fax watched to its end goes over a sandbox pair (lines 1 and 2: the same progression, no line time); the faxes
// canceled mid-call over real-time loopback lines (3 and 4), so the cancel falls while pages are on the line.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, FAX_SERVER_EVENTS_TYPE_ENUM, type FaxServerEvent, type FaxStatus } from '@faxd/contract';
import { requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';

const S = FAX_JOB_STATUS_ENUM;
const E = FAX_SERVER_EVENTS_TYPE_ENUM;
type JobChanged = Extract<FaxServerEvent, { event: 'outgoingJobChanged' | 'incomingJobChanged' }>;

describe('a fax watched from port to port', () => {
  let faxd: TestFaxd;
  const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);
  /** Submits `text` on `line` (1 over the sandbox pair, 3 in real time) to its partner. */
  const submit = async (text: string, line: 1 | 3) => {
    const documents = [{ name: 'note.txt', contentBase64: Buffer.from(text).toString('base64') }];
    const { body } = await api('/v1/jobs', { method: 'POST', body: { to: String(line + 1), line, documents } });
    return body.jobId as string;
  };
  const bothAvailable = () =>
    waitFor('both ports to be available', async () => {
      const statuses = (await api('/v1/status')).body as FaxStatus[];
      return statuses.every((s) => s.description === 'Available') ? true : undefined;
    });

  before(async () => {
    const sandbox = { kind: 'sandbox', tsid: 'faxd line 1', csid: 'faxd line 1' };
    const loopback = { kind: 'loopback', tsid: 'faxd line 3', csid: 'faxd line 3' };
    faxd = await startTestFaxd({
      lines: [
        { ...sandbox, id: 1, peer: 2 },
        { ...sandbox, id: 2, peer: 1, tsid: 'faxd line 2', csid: 'faxd line 2' },
        { ...loopback, id: 3 },
        { ...loopback, id: 4, tsid: 'faxd line 4', csid: 'faxd line 4' },
      ],
    });
  });
  after(() => faxd.dispose());

  it('publishes only real changes, and the ports show the call completing and who receives', async () => {
    const seen: { event: JobChanged; description: string; recipientName: string | null }[] = [];
    const stop = faxd.service.hub.subscribe(E.fsetOUT_QUEUE | E.fsetIN_QUEUE, (event) => {
      if (event.event !== 'outgoingJobChanged' && event.event !== 'incomingJobChanged') return;
      // The port's FaxStatus at the moment the job's status is published.
      const status = faxd.service.portStatus(event.event === 'outgoingJobChanged' ? 1 : 2);
      seen.push({ event, description: status.description, recipientName: status.recipientName });
    });
    const jobId = await submit('Page one.\n\fPage two.\n', 1);
    const ended = (direction: JobChanged['event']) =>
      seen.some(({ event }) => event.event === direction && event.status.status === S.fjsCOMPLETED);
    await waitFor('the fax to be sent and routed', () =>
      ended('outgoingJobChanged') && ended('incomingJobChanged') ? true : undefined,
    );
    stop();
    await bothAvailable();

    for (const direction of ['outgoingJobChanged', 'incomingJobChanged']) {
      const statuses = seen.filter(({ event }) => event.event === direction).map(({ event }) => event.status);
      assert.ok(statuses.length >= 5, `${direction}: ${statuses.length} events`);
      for (const [i, status] of statuses.entries()) {
        if (i > 0) assert.notDeepEqual(status, statuses[i - 1], `${direction} ${i} repeats the status before it`);
      }
    }
    const completed = seen.find(
      ({ event }) =>
        event.event === 'outgoingJobChanged' && event.jobId === jobId && event.status.status === S.fjsCOMPLETED,
    );
    assert.equal(completed?.description, 'Completed', 'port 1 as its job completes');
    const routing = seen.find(
      ({ event }) => event.event === 'incomingJobChanged' && event.status.status === S.fjsROUTING,
    );
    assert.equal(routing?.description, 'Completed', 'port 2 once the fax is in');
    const receiving = seen.filter(
      ({ event }) =>
        event.event === 'incomingJobChanged' && event.status.currentPage > 0 && event.status.status === S.fjsINPROGRESS,
    );
    assert.ok(receiving.length > 0);
    for (const { recipientName } of receiving) assert.equal(recipientName, 'faxd line 2', "the line's CSID");
  });

  /** Cancels `jobId` once its first page is on the line; returns port `deviceId`'s Description at each change of the job after it. */
  async function cancelAndWatch(jobId: string, deviceId: number): Promise<string[]> {
    await waitFor('page 1 to be on the line', async () =>
      (await api(`/v1/jobs/${jobId}`)).body.currentPage >= 1 ? true : undefined,
    );
    const descriptions: string[] = [];
    let canceled = false;
    const stop = faxd.service.hub.subscribe(E.fsetOUT_QUEUE | E.fsetIN_QUEUE, (event) => {
      if (canceled && 'status' in event && event.jobId === jobId) {
        descriptions.push(faxd.service.portStatus(deviceId).description);
      }
    });
    const response = await api(`/v1/jobs/${jobId}/cancel`, { method: 'POST' });
    assert.equal(response.status, 200);
    assert.equal(response.body.status, S.fjsCANCELING);
    canceled = true;
    await waitFor('the job to leave the queue', () =>
      faxd.events.some((e) => e.event.endsWith('JobRemoved') && 'jobId' in e && e.jobId === jobId) ? true : undefined,
    );
    stop();
    await bothAvailable();
    return descriptions;
  }

  it('shows Aborting on the port whose incoming job was canceled, while pages still arrive', async () => {
    const before = faxd.events.length;
    await submit(`${'A page to cancel.\n'.repeat(40)}\f`.repeat(4), 3);
    const incomingId = await waitFor('the reception to start', () => {
      const added = faxd.events.slice(before).find((e) => e.event === 'incomingJobAdded');
      return added && 'jobId' in added ? added.jobId : undefined;
    });
    const descriptions = await cancelAndWatch(incomingId, 4);
    assert.ok(descriptions.length > 0, 'the job changed after the cancel');
    assert.deepEqual(new Set(descriptions), new Set(['Aborting']));
  });

  it('shows Aborting on the port whose outgoing job was canceled', async () => {
    const jobId = await submit(`${'A page to cancel.\n'.repeat(40)}\f`.repeat(4), 3);
    const descriptions = await cancelAndWatch(jobId, 3);
    assert.ok(descriptions.length > 0, 'the job changed after the cancel');
    assert.deepEqual(new Set(descriptions), new Set(['Aborting']));
  });
});
