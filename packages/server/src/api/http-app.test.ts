import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import {
  FAX_JOB_STATUS_ENUM,
  FAX_STATUS_PROPERTIES,
  FAX_STATUS_VALIDITY,
  faxJobStatusProblems,
  faxStatusProblems,
} from '@faxd/contract';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { requestJson, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';

const S = FAX_JOB_STATUS_ENUM;

describe('faxd HTTP API without calls', () => {
  let faxd: TestFaxd;
  let letter: string;
  const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);
  const submit = (body: Record<string, unknown>) => api('/v1/jobs', { method: 'POST', body });

  before(async () => {
    faxd = await startTestFaxd();
    letter = (await readFile(`${repoRoot()}/samples/letter.pdf`)).toString('base64');
    // Nothing is dialled in this suite: the queue holds every job.
    assert.equal((await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } })).status, 200);
  });
  after(() => faxd.dispose());

  it('lists two loopback ports with idle FaxStatus conforming to the seeds', async () => {
    const ports = await api('/v1/ports');
    assert.deepEqual(
      ports.body.map((p: { deviceId: number; kind: string }) => [p.deviceId, p.kind]),
      [
        [1, 'loopback'],
        [2, 'loopback'],
      ],
    );
    // No call on either port: FaxPortInfo.call is null (it shows media, modem and rate while one is up).
    assert.deepEqual(
      ports.body.map((p: { call: unknown }) => p.call),
      [null, null],
    );
    const status = await api('/v1/ports/2/status');
    assert.deepEqual(Object.keys(status.body).sort(), [...FAX_STATUS_PROPERTIES].sort());
    assert.deepEqual(faxStatusProblems(status.body), []);
    assert.equal(status.body.description, 'Available');
    assert.equal(status.body.currentPage, null);
    const all = await api('/v1/status');
    assert.deepEqual(
      all.body.map((s: { deviceId: number }) => s.deviceId),
      [1, 2],
    );
  });

  it('publishes an OpenAPI 3 document naming every route', async () => {
    const { status, body } = await api('/openapi.json');
    assert.equal(status, 200);
    assert.equal(body.openapi, '3.0.3');
    for (const path of [
      '/v1/ports',
      '/v1/ports/{deviceId}/status',
      '/v1/jobs',
      '/v1/jobs/{jobId}/{operation}',
      '/v1/inbox',
      '/v1/events',
      '/v1/queue',
    ]) {
      assert.ok(body.paths[path], `${path} is documented`);
    }
    // FaxStatus: a property may be null exactly when the contract's table does not make it always valid.
    const schema = body.paths['/v1/ports/{deviceId}/status'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual(Object.keys(schema.properties), FAX_STATUS_PROPERTIES);
    for (const name of FAX_STATUS_PROPERTIES) {
      const property = schema.properties[name];
      assert.equal(property.nullable === true, FAX_STATUS_VALIDITY[name] !== 'always', `${name} nullable`);
      if (FAX_STATUS_VALIDITY[name] !== 'always') assert.match(property.description, /^Valid while /, name);
    }
  });

  it('queues a submission in fjsPENDING, rendered to TIFF Class F, and announces it', async () => {
    const { status, body } = await submit({
      to: '+1 555 0199',
      recipientName: 'Bob',
      documents: [{ name: 'letter.pdf', contentBase64: letter }],
    });
    assert.equal(status, 201);
    assert.equal(body.status, S.fjsPENDING);
    assert.equal(body.pages, 2);
    assert.ok(body.size > 1000);
    assert.deepEqual(faxJobStatusProblems(pickStatus(body)), []);
    const stored = await readFile(faxd.service.files.jobFax(body.jobId));
    assert.equal(stored.length, body.size);
    assert.deepEqual(stored.subarray(0, 4), Buffer.from('II*\0', 'latin1'));
    const names = faxd.events.filter((e) => 'jobId' in e && e.jobId === body.jobId).map((e) => e.event);
    assert.deepEqual(names.slice(0, 2), ['outgoingJobAdded', 'outgoingJobChanged']);
  });

  it('pauses, resumes and cancels a queued job, then archives it', async () => {
    const job = (await submit({ to: '5550100', documents: [{ name: 'a.pdf', contentBase64: letter }] })).body;
    const paused = await api(`/v1/jobs/${job.jobId}/pause`, { method: 'POST' });
    assert.equal(paused.body.status, S.fjsPENDING | S.fjsPAUSED);
    const again = await api(`/v1/jobs/${job.jobId}/pause`, { method: 'POST' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'FAX_ERR_OPERATION_NOT_ALLOWED');
    assert.equal((await api(`/v1/jobs/${job.jobId}/resume`, { method: 'POST' })).body.status, S.fjsPENDING);
    const canceled = await api(`/v1/jobs/${job.jobId}/cancel`, { method: 'POST' });
    assert.equal(canceled.body.status, S.fjsCANCELED);
    const restart = await api(`/v1/jobs/${job.jobId}/restart`, { method: 'POST' });
    assert.equal(restart.status, 409);
    const read = await api(`/v1/jobs/${job.jobId}`);
    assert.ok(read.body.messageId, 'the ended job is in the outgoing archive');
    const outbox = await api(`/v1/outbox/${read.body.messageId}`);
    assert.equal(outbox.body.status, S.fjsCANCELED);
    const tiff = await fetch(`${faxd.url}/v1/outbox/${read.body.messageId}/document.tif`);
    assert.deepEqual(Buffer.from(await tiff.arrayBuffer()), await readFile(faxd.service.files.jobFax(job.jobId)));
    const pdf = await fetch(`${faxd.url}/v1/outbox/${read.body.messageId}/document.pdf`);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.equal(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
      '%PDF-',
    );
    const queued = await api('/v1/jobs?direction=outgoing');
    assert.ok(!queued.body.some((j: { jobId: string }) => j.jobId === job.jobId), 'not listed in the queue');
    const all = await api('/v1/jobs?all=true');
    assert.ok(
      all.body.some((j: { jobId: string }) => j.jobId === job.jobId),
      'listed with all=true',
    );
    const names = faxd.events.filter((e) => 'jobId' in e && e.jobId === job.jobId).map((e) => e.event);
    assert.deepEqual(names.slice(-2), ['outgoingJobChanged', 'outgoingJobRemoved']);
  });

  it('answers bad requests with FAX_ERR codes and clear messages', async () => {
    const cases: [ReturnType<typeof requestJson>, number, string, RegExp][] = [
      [api('/v1/ports/9/status'), 404, 'FAX_ERR_PORT_NOT_FOUND', /No port with device id 9/],
      [api('/v1/jobs/0123456789ab'), 404, 'FAX_ERR_JOB_NOT_FOUND', /No job with id 0123456789ab/],
      [api('/v1/nothing'), 404, 'FAX_ERR_NOT_FOUND', /GET \/v1\/nothing/],
      [
        submit({ to: 'call me', documents: [{ name: 'a.pdf', contentBase64: letter }] }),
        422,
        'FAX_ERR_BAD_NUMBER',
        /call me/,
      ],
      [submit({ to: '123', documents: [] }), 400, 'FAX_ERR_DOCUMENT_MISSING', /no document/],
      [submit({ documents: [] }), 400, 'FAX_ERR_BAD_REQUEST', /must have required property 'to'/],
      [
        submit({ to: '123', documents: [{ name: 'x.bin', contentBase64: 'AAECAw==' }] }),
        415,
        'FAX_ERR_DOCUMENT_TYPE_UNSUPPORTED',
        /x\.bin/,
      ],
      [
        submit({
          to: '123',
          documents: [{ name: 'bad.pdf', contentBase64: Buffer.from('%PDF-1.4\ngarbage').toString('base64') }],
        }),
        422,
        'FAX_ERR_DOCUMENT_UNREADABLE',
        /bad\.pdf cannot be read/,
      ],
      [
        // A TIFF header whose first directory lies past the end of the file.
        submit({ to: '123', documents: [{ name: 'cut.tif', contentBase64: 'SUkqAAgAAAA=' }] }),
        422,
        'FAX_ERR_DOCUMENT_UNREADABLE',
        /cut\.tif cannot be read/,
      ],
      [
        submit({ to: '123', line: 7, documents: [{ name: 'a.pdf', contentBase64: letter }] }),
        404,
        'FAX_ERR_PORT_NOT_FOUND',
        /7/,
      ],
      [
        submit({ to: '123', scheduledAt: 'tomorrow', documents: [{ name: 'a.pdf', contentBase64: letter }] }),
        400,
        'FAX_ERR_BAD_REQUEST',
        /tomorrow/,
      ],
      [api('/v1/jobs/abc/explode', { method: 'POST' }), 400, 'FAX_ERR_BAD_REQUEST', /operation/],
    ];
    for (const [response, status, code, message] of cases) {
      const { status: got, body } = await response;
      assert.equal(got, status, `${code}: HTTP status`);
      assert.equal(body.error.code, code);
      assert.match(body.error.message, message);
    }
  });

  it('refuses submissions while the outgoing queue is blocked', async () => {
    await api('/v1/queue', { method: 'PATCH', body: { outgoingQueueBlocked: true } });
    const refused = await submit({ to: '123', documents: [{ name: 'a.pdf', contentBase64: letter }] });
    assert.equal(refused.status, 503);
    assert.equal(refused.body.error.code, 'FAX_ERR_QUEUE_BLOCKED');
    const state = await api('/v1/queue', { method: 'PATCH', body: { outgoingQueueBlocked: false } });
    assert.deepEqual(state.body, {
      outgoingQueueBlocked: false,
      outgoingQueuePaused: true,
      incomingQueueBlocked: false,
    });
    assert.equal(faxd.events.filter((e) => e.event === 'queuesStatusChange').length, 3);
  });

  it('streams events as Server-Sent Events, replaying after Last-Event-ID', async () => {
    const response = await fetch(`${faxd.url}/v1/events?mask=2`, { headers: { 'last-event-id': '0' } });
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('event: outgoingJobRemoved')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const first = /id: (\d+)\nevent: (\w+)\ndata: (.*)\n/.exec(text);
    assert.equal(first?.[2], 'outgoingJobAdded', 'the replay starts at the first outbound event');
    assert.doesNotMatch(text, /event: queuesStatusChange/, 'the mask fsetOUT_QUEUE leaves out queue-state events');
  });
});

describe('faxd with a token', () => {
  it('wants the bearer token on every route but /openapi.json', async () => {
    const faxd = await startTestFaxd({ token: 's3cret' });
    try {
      const refused = await requestJson(faxd.url, '/v1/ports');
      assert.equal(refused.status, 401);
      assert.equal(refused.body.error.code, 'FAX_ERR_UNAUTHORIZED');
      const allowed = await requestJson(faxd.url, '/v1/ports', { headers: { authorization: 'Bearer s3cret' } });
      assert.equal(allowed.status, 200);
      assert.equal((await requestJson(faxd.url, '/openapi.json')).status, 200);
    } finally {
      await faxd.dispose();
    }
  });
});

function pickStatus(job: Record<string, unknown>) {
  const {
    direction,
    recipientNumber,
    recipientName,
    senderName,
    documentName,
    priority,
    submissionTime,
    lastError,
    messageId,
    broadcastId,
    ...status
  } = job;
  return status;
}
