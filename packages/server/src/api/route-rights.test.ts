// The rights matrix (issue 13) against a real faxd: for each right of FAX_ACCESS_RIGHTS_ENUM_2, a user holding only it
// calls every operation of /openapi.json (a new route without a row here fails) on another user's job, broadcast and
// sent message and on the receive folder's fax: what the right allows succeeds, what it does not is refused 403
// FAX_ERR_ACCESS_DENIED, and what the caller may not see answers 404 as a missing id would. No caller without the
// rights over everyone's objects finds another user's job ids, numbers or document names in any answer or event.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCESS_RIGHT_NAMES, type AccessRightName, parseAccessRights } from '@faxd/contract';
import { type JsonBody, requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';

const ADMIN = 'matrix-administrator';
/** A user with a password, whom the matrix signs in to the console. */
const SIGNER = 'matrix-signer';
const SIGNER_PASSWORD = 'matrix signer password';
const SUBMITS: AccessRightName[] = ['submit-low', 'submit-normal', 'submit-high'];
const RECEIVE_FOLDER: AccessRightName[] = ['query-archives', 'manage-archives', 'manage-receive-folder'];
/** The rights that see other users' jobs or sent messages: only their holders may find alice's secrets. */
const SEES_OTHERS: AccessRightName[] = ['query-out-jobs', 'manage-out-jobs', 'query-archives', 'manage-archives'];

const text = (name: string, content = 'faxd rights matrix') => ({
  name,
  contentBase64: Buffer.from(content).toString('base64'),
});

interface Call {
  readonly path: string;
  readonly method?: string;
  readonly body?: unknown;
}

/** The outcome for a user holding only `right`: `allowed` succeed, `hidden` answer 404, the rest 403. */
function outcome(allowed: readonly AccessRightName[], hidden: readonly AccessRightName[] = [], ok = 200) {
  return (right: AccessRightName) => (allowed.includes(right) ? ok : hidden.includes(right) ? 404 : 403);
}
const everyone = () => 200;

/** alice's objects and the receive folder's fax, made before the matrix runs. */
interface Fixture {
  readonly job: string;
  readonly broadcast: string;
  readonly sent: string;
  readonly inbox: string;
  /** A sent message of alice's and a received fax that the matrix deletes (manage-archives may). */
  readonly doomedSent: string;
  readonly doomedInbox: string;
  /** A delivery report of alice's job, waiting in the mail outbox (this server has no relay to send it through). */
  readonly mail: string;
}

interface Row {
  readonly call: Call;
  readonly outcome: (right: AccessRightName) => number;
  /** Rights besides SEES_OTHERS this route shows other users' objects to. */
  readonly seesOthers?: readonly AccessRightName[];
}

function rows(f: Fixture): Record<string, Row> {
  const config = outcome(['query-config']);
  const readJob = outcome(['query-out-jobs', 'manage-out-jobs'], [...SUBMITS, ...RECEIVE_FOLDER]);
  // A submitter may own a line's faxes (routing.user), so it may ask; this fax's line is carol's.
  const inbox = outcome(RECEIVE_FOLDER, SUBMITS);
  const readSent = outcome(['query-archives', 'manage-archives'], SUBMITS);
  return {
    'GET /v1/me': { call: { path: '/v1/me' }, outcome: everyone },
    // Signing in asks for no credentials, so a key of any right may sign a user in by their password, or sign out.
    'POST /v1/session': {
      call: { path: '/v1/session', method: 'POST', body: { name: SIGNER, password: SIGNER_PASSWORD } },
      outcome: () => 204,
    },
    'DELETE /v1/session': { call: { path: '/v1/session', method: 'DELETE' }, outcome: () => 204 },
    'GET /v1/ports': { call: { path: '/v1/ports' }, outcome: config },
    'GET /v1/ports/{deviceId}': { call: { path: '/v1/ports/1' }, outcome: config },
    'GET /v1/ports/{deviceId}/status': { call: { path: '/v1/ports/1/status' }, outcome: config },
    'GET /v1/ports/{deviceId}/routing-methods': { call: { path: '/v1/ports/2/routing-methods' }, outcome: config },
    'GET /v1/status': { call: { path: '/v1/status' }, outcome: config },
    'POST /v1/jobs': {
      call: { path: '/v1/jobs', method: 'POST', body: { to: '5550150', documents: [text('mine.txt')] } },
      // No priority is normal priority, above submit-low.
      outcome: outcome(['submit-normal', 'submit-high'], [], 201),
    },
    'GET /v1/jobs': {
      call: { path: '/v1/jobs?all=true' },
      outcome: outcome([...SUBMITS, 'query-out-jobs', 'manage-out-jobs', ...RECEIVE_FOLDER]),
    },
    'GET /v1/jobs/{id}': { call: { path: `/v1/jobs/${f.job}` }, outcome: readJob },
    'GET /v1/jobs/{id}/document.tif': { call: { path: `/v1/jobs/${f.job}/document.tif` }, outcome: readJob },
    'GET /v1/jobs/{id}/pages/{page}.png': { call: { path: `/v1/jobs/${f.job}/pages/1.png` }, outcome: readJob },
    'POST /v1/jobs/{jobId}/{operation}': {
      call: { path: `/v1/jobs/${f.job}/pause`, method: 'POST' },
      // query-out-jobs sees the job but may not manage it; manage-receive-folder manages incoming jobs only.
      outcome: outcome(['manage-out-jobs'], [...SUBMITS, 'manage-receive-folder']),
    },
    'POST /v1/previews': {
      call: { path: '/v1/previews', method: 'POST', body: { documents: [text('mine.txt')] } },
      // A preview queues nothing, so any submit right may ask for one, whatever priority it could send at.
      outcome: outcome(SUBMITS),
    },
    'GET /v1/broadcasts/{id}': {
      call: { path: `/v1/broadcasts/${f.broadcast}` },
      outcome: outcome(['query-out-jobs', 'manage-out-jobs'], SUBMITS),
    },
    'POST /v1/broadcasts/{id}/cancel': {
      call: { path: `/v1/broadcasts/${f.broadcast}/cancel`, method: 'POST' },
      outcome: outcome(['manage-out-jobs'], SUBMITS),
    },
    'GET /v1/queue': { call: { path: '/v1/queue' }, outcome: everyone },
    'PATCH /v1/queue': {
      call: { path: '/v1/queue', method: 'PATCH', body: { outgoingQueuePaused: true } },
      outcome: outcome(['manage-config']),
    },
    'GET /v1/inbox': { call: { path: '/v1/inbox' }, outcome: outcome([...RECEIVE_FOLDER, ...SUBMITS]) },
    'GET /v1/inbox/{id}': { call: { path: `/v1/inbox/${f.inbox}` }, outcome: inbox },
    'GET /v1/inbox/{id}/document.tif': { call: { path: `/v1/inbox/${f.inbox}/document.tif` }, outcome: inbox },
    'GET /v1/inbox/{id}/document.pdf': { call: { path: `/v1/inbox/${f.inbox}/document.pdf` }, outcome: inbox },
    'GET /v1/inbox/{id}/pages/{page}.png': { call: { path: `/v1/inbox/${f.inbox}/pages/1.png` }, outcome: inbox },
    'GET /v1/outbox': {
      call: { path: '/v1/outbox' },
      outcome: outcome([...SUBMITS, 'query-archives', 'manage-archives']),
    },
    'GET /v1/outbox/{id}': { call: { path: `/v1/outbox/${f.sent}` }, outcome: readSent },
    'GET /v1/outbox/{id}/document.tif': { call: { path: `/v1/outbox/${f.sent}/document.tif` }, outcome: readSent },
    'GET /v1/outbox/{id}/document.pdf': { call: { path: `/v1/outbox/${f.sent}/document.pdf` }, outcome: readSent },
    'GET /v1/outbox/{id}/pages/{page}.png': { call: { path: `/v1/outbox/${f.sent}/pages/1.png` }, outcome: readSent },
    // Only the owner or manage-archives deletes; those who see the fax without either are refused at the gate.
    'DELETE /v1/inbox/{id}': {
      call: { path: `/v1/inbox/${f.doomedInbox}`, method: 'DELETE' },
      outcome: outcome(['manage-archives'], SUBMITS, 204),
    },
    'DELETE /v1/outbox/{id}': {
      call: { path: `/v1/outbox/${f.doomedSent}`, method: 'DELETE' },
      outcome: outcome(['manage-archives'], SUBMITS, 204),
    },
    // The audit log names everyone's objects: it is the administrator's (manage-config), as the brief of issue 13 says.
    'GET /v1/audit': {
      call: { path: '/v1/audit' },
      outcome: outcome(['manage-config']),
      seesOthers: ['manage-config'],
    },
    // The mail outbox is the server's traffic and names everyone's jobs and addresses: query-config, as ports are.
    'GET /v1/mail-deliveries': { call: { path: '/v1/mail-deliveries' }, outcome: config, seesOthers: ['query-config'] },
    'GET /v1/mail-deliveries/{id}': {
      call: { path: `/v1/mail-deliveries/${f.mail}` },
      outcome: config,
      seesOthers: ['query-config'],
    },
    'GET /v1/events': { call: { path: '/v1/events?mask=1023' }, outcome: everyone },
    // Counts and line activity, no job ids: a scraper's key holds query-config, as for the ports' status.
    'GET /metrics': { call: { path: '/metrics' }, outcome: config },
  };
}

/** An answer's status and its body as text (an event stream: what it sent until `until` appeared, or 3 s). */
async function call(
  base: string,
  key: string,
  request: Call,
  until?: string,
): Promise<{ status: number; text: string }> {
  const abort = new AbortController();
  const response = await fetch(`${base}${request.path}`, {
    method: request.method ?? 'GET',
    headers: {
      authorization: `Bearer ${key}`,
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(request.path.startsWith('/v1/events') ? { 'last-event-id': '0' } : {}),
    },
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    signal: abort.signal,
  });
  if (!request.path.startsWith('/v1/events') || response.status !== 200) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      text: type.startsWith('application/json') ? new TextDecoder().decode(bytes) : '',
    };
  }
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = setTimeout(() => abort.abort(), until === undefined ? 300 : 30_000);
  try {
    while (until === undefined || !text.includes(until)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  } finally {
    clearTimeout(deadline);
    abort.abort();
  }
  return { status: response.status, text };
}

describe('rights on every route, and what each caller sees', () => {
  let faxd: TestFaxd;
  let fixture: Fixture;
  /** What only alice and the holders of the rights over everyone's objects may learn. */
  let secrets: string[];
  /** The incoming jobs of the two received faxes: a deleted fax's job stays, as a purged one's does. */
  let incomingJobs: string[];
  const keys = new Map<string, string>();
  const admin = (path: string, init: Parameters<typeof requestJson>[2] = {}) =>
    requestJson(faxd.url, path, { ...init, headers: { authorization: `Bearer ${ADMIN}` } });
  const as = (who: string, path: string, init: Parameters<typeof requestJson>[2] = {}) =>
    requestJson(faxd.url, path, { ...init, headers: { authorization: `Bearer ${keys.get(who)}` } });

  /** Publishes queuesStatusChange, which every caller may see; the `id:` line its message will have. */
  const marker = async () => {
    await admin('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    // The queue's change, which every caller may see; not simply the newest event, which may be a serverActivityChange
    // announced after it (half a second after the changes it counts) that only some callers see.
    const queueChange = faxd.events.findLastIndex((event) => event.event === 'queuesStatusChange');
    return `id: ${queueChange + 1}\n`;
  };

  before(async () => {
    faxd = await startTestFaxd({
      token: ADMIN,
      lines: [
        // A sandbox pair: the real T.30 engine on a virtual clock, so the faxes set up here cost no real-time wait.
        { id: 1, kind: 'sandbox', peer: 2 },
        { id: 2, kind: 'sandbox', peer: 1, routing: { user: 'carol' } },
      ],
    });
    for (const right of ACCESS_RIGHT_NAMES)
      keys.set(right, await faxd.service.users.add(`only-${right}`, parseAccessRights(right)));
    keys.set('alice', await faxd.service.users.add('alice', parseAccessRights('submit-normal')));
    keys.set('carol', await faxd.service.users.add('carol', parseAccessRights('submit-low')));
    await faxd.service.users.add(SIGNER, parseAccessRights('submit-normal'), SIGNER_PASSWORD);
    // The receive folder's fax: the administrator sends one from port 1 to port 2 over the sandbox lines.
    // Two of them: one for the matrix to delete.
    const received: JsonBody[] = [];
    for (const name of ['in.txt', 'in-doomed.txt']) {
      const sent = await admin('/v1/jobs', {
        method: 'POST',
        body: { to: '5550199', line: 1, documents: [text(name)] },
      });
      assert.equal(sent.status, 201);
      const [newest] = await waitFor('the fax in the inbox', async () => {
        const inbox = (await admin('/v1/inbox')).body as JsonBody[];
        return inbox.length > received.length ? inbox : undefined;
      });
      received.push(newest);
      incomingJobs = received.map((message) => message.jobId).sort();
      await waitFor('the sent job to end', async () =>
        (await admin(`/v1/jobs/${sent.body.jobId}`)).body.messageId ? true : undefined,
      );
    }
    assert.equal((await admin('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } })).status, 200);
    const job = await as('alice', '/v1/jobs', {
      method: 'POST',
      body: { to: '5550101', recipientName: 'Alice Recipient', documents: [text('alice-secret-plans.txt')] },
    });
    const broadcast = await as('alice', '/v1/jobs', {
      method: 'POST',
      body: { recipients: [{ number: '5550102' }, { number: '5550103' }], documents: [text('alice-broadcast.txt')] },
    });
    const canceled = await as('alice', '/v1/jobs', {
      method: 'POST',
      body: { to: '5550104', documents: [text('alice-canceled.txt')] },
    });
    const doomed = await as('alice', '/v1/jobs', {
      method: 'POST',
      body: { to: '5550105', documents: [text('alice-doomed.txt')] },
    });
    assert.deepEqual([job.status, broadcast.status, canceled.status, doomed.status], [201, 201, 201, 201]);
    for (const id of [canceled.body.jobId, doomed.body.jobId]) {
      assert.equal((await as('alice', `/v1/jobs/${id}/cancel`, { method: 'POST' })).status, 200);
    }
    const report = { kind: 'report', sourceId: job.body.jobId, to: ['alice@example.com'], attachments: [] } as const;
    await faxd.service.mail.enqueueOnce({ ...report, subject: 'alice-secret-plans', body: 'Your fax' });
    const [mail] = await faxd.service.mail.list({ sourceId: job.body.jobId });
    fixture = {
      mail: mail?.id ?? '',
      job: job.body.jobId,
      broadcast: broadcast.body.broadcastId,
      sent: canceled.body.jobId,
      inbox: received[0].id,
      doomedSent: doomed.body.jobId,
      doomedInbox: received[1].id,
    };
    secrets = [
      fixture.job,
      fixture.broadcast,
      fixture.sent,
      ...broadcast.body.jobIds,
      '5550101',
      '5550102',
      '5550103',
      '5550104',
      '5550105',
      doomed.body.jobId,
      'alice-secret-plans',
      'alice-broadcast',
      'alice-canceled',
      'alice-doomed',
      'Alice Recipient',
    ];
  });
  after(() => faxd.dispose());

  it('has a row for every operation of the OpenAPI document, and only for those', async () => {
    const { body } = await requestJson(faxd.url, '/openapi.json');
    const operations = Object.entries(body.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    assert.deepEqual(operations.sort(), Object.keys(rows(fixture)).sort());
  });

  for (const right of ACCESS_RIGHT_NAMES) {
    it(`gives a user with only ${right} what that right allows, and nothing of alice's unless it sees everyone's`, async () => {
      const key = keys.get(right) as string;
      for (const [operation, row] of Object.entries(rows(fixture))) {
        // The event stream is read through its whole replay, up to a marker event every caller may see.
        const until = row.call.path.startsWith('/v1/events') ? await marker() : undefined;
        const { status, text: body } = await call(faxd.url, key, row.call, until);
        if (until !== undefined) assert.ok(body.includes(until), `the stream of ${right} reached the marker`);
        assert.equal(status, row.outcome(right), `${operation} with only ${right}: ${body}`);
        if (status === 403) assert.equal(JSON.parse(body).error.code, 'FAX_ERR_ACCESS_DENIED', operation);
        if (status === 404) {
          assert.match(JSON.parse(body).error.code, /^FAX_ERR_(JOB|MESSAGE|BROADCAST)_NOT_FOUND$/);
          // Exactly what an id that never existed gets.
          const id = Object.values(fixture).find((known) => row.call.path.includes(known)) ?? '';
          assert.ok(id, `${operation} answers 404 for one of the fixture's ids`);
          const never = { ...row.call, path: row.call.path.replace(id, 'never0existed') };
          const missing = await call(faxd.url, key, never);
          assert.equal(body, missing.text.replace('never0existed', id), `${operation} with only ${right}`);
        }
        if (SEES_OTHERS.includes(right) || row.seesOthers?.includes(right)) continue;
        // A refusal may repeat the id the caller sent, no more: the id it asked for is not something it learnt.
        for (const secret of secrets.filter((secret) => !row.call.path.includes(secret))) {
          assert.ok(!body.includes(secret), `${operation} with only ${right} shows ${secret}`);
        }
      }
    });
  }

  it('lists each caller what it may see: the job rights everyone’s outgoing jobs, the receive folder its own', async () => {
    const ids = async (who: string) =>
      ((await as(who, '/v1/jobs?all=true')).body as JsonBody[]).map((job) => job.jobId);
    const incoming = ((await admin(`/v1/inbox/${fixture.inbox}`)).body as JsonBody).jobId;
    const outgoing = await ids('query-out-jobs');
    assert.ok(outgoing.includes(fixture.job) && outgoing.includes(fixture.sent));
    assert.ok(!outgoing.includes(incoming), 'query-out-jobs does not see the receive folder');
    assert.deepEqual((await ids('manage-receive-folder')).sort(), incomingJobs);
    assert.deepEqual((await ids('query-archives')).sort(), incomingJobs);
    const own = await ids('submit-normal');
    assert.equal(own.length, 1, 'only the job it submitted itself');
    assert.equal((await as('alice', `/v1/jobs/${own[0]}`)).status, 404, 'alice does not see it either');
    const sent = ((await as('query-archives', '/v1/outbox')).body as JsonBody[]).map((message) => message.id);
    assert.ok(sent.includes(fixture.sent));
    assert.deepEqual((await as('submit-high', '/v1/outbox')).body, []);
  });

  it('lets alice see and manage her own jobs, broadcast and sent message', async () => {
    assert.equal((await as('alice', `/v1/jobs/${fixture.job}`)).body.documentName, 'alice-secret-plans.txt');
    assert.equal((await as('alice', `/v1/broadcasts/${fixture.broadcast}`)).status, 200);
    assert.equal((await as('alice', `/v1/outbox/${fixture.sent}`)).status, 200);
    const tif = await fetch(`${faxd.url}/v1/outbox/${fixture.sent}/document.tif`, {
      headers: { authorization: `Bearer ${keys.get('alice')}` },
    });
    assert.equal(tif.headers.get('content-type'), 'image/tiff');
    const mine = ((await as('alice', '/v1/jobs?all=true')).body as JsonBody[]).map((job) => job.jobId).sort();
    const expected = [
      fixture.job,
      fixture.sent,
      fixture.doomedSent,
      ...(await admin(`/v1/broadcasts/${fixture.broadcast}`)).body.recipients.map((r: JsonBody) => r.jobId),
    ];
    assert.deepEqual(mine, expected.sort());
    assert.deepEqual((await as('alice', '/v1/inbox')).body, [], 'the received fax came in on carol’s line');
  });

  it('gives carol the faxes her line receives as her own, and no one else without the receive folder’s rights', async () => {
    const incoming = ((await admin(`/v1/inbox/${fixture.inbox}`)).body as JsonBody).jobId;
    assert.deepEqual(
      ((await as('carol', '/v1/inbox')).body as JsonBody[]).map((message) => message.id),
      [fixture.inbox],
    );
    const pdf = await fetch(`${faxd.url}/v1/inbox/${fixture.inbox}/document.pdf`, {
      headers: { authorization: `Bearer ${keys.get('carol')}` },
    });
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.ok(incomingJobs.includes(incoming));
    assert.deepEqual(
      ((await as('carol', '/v1/jobs?all=true')).body as JsonBody[]).map((job) => job.jobId).sort(),
      incomingJobs,
    );
    const { text: events } = await call(
      faxd.url,
      keys.get('carol') as string,
      { path: '/v1/events' },
      'event: incomingMessageAdded',
    );
    assert.match(
      events,
      new RegExp(`event: incomingJobAdded\ndata: \\{"event":"incomingJobAdded","jobId":"${incoming}"`),
    );
    assert.doesNotMatch(events, new RegExp(fixture.job), 'carol hears nothing of alice’s jobs');
    assert.equal((await as('alice', `/v1/inbox/${fixture.inbox}`)).status, 404);
    assert.equal((await as('alice', `/v1/jobs/${incoming}`)).status, 404);
  });

  it('refuses a priority above the submitter’s right, with nothing queued', async () => {
    const before = (await admin('/v1/jobs?all=true')).body.length;
    const high = await as('alice', '/v1/jobs', {
      method: 'POST',
      body: { to: '5550160', priority: 'high', documents: [text('urgent.txt')] },
    });
    assert.equal(high.status, 403);
    assert.equal(high.body.error.code, 'FAX_ERR_ACCESS_DENIED');
    assert.match(high.body.error.message, /high priority needs the right submit-high/);
    const low = await as('submit-low', '/v1/jobs', {
      method: 'POST',
      body: { to: '5550161', priority: 'low', documents: [text('low.txt')] },
    });
    assert.equal(low.status, 201);
    assert.equal((await admin('/v1/jobs?all=true')).body.length, before + 1);
  });

  it('sends each event stream only the events its caller may see', async () => {
    // Every stream replays the log from the start; the queue's state, which all may see, marks its end.
    const streams = ['alice', 'submit-normal', 'query-out-jobs', 'query-config', 'manage-receive-folder'];
    const last = await marker();
    const seen = new Map<string, string>();
    for (const who of streams) {
      const { status, text: events } = await call(faxd.url, keys.get(who) as string, { path: '/v1/events' }, last);
      assert.equal(status, 200);
      assert.ok(events.includes(last), `${who}'s stream reached the marker`);
      seen.set(who, events);
    }
    const alice = seen.get('alice') as string;
    assert.ok(alice.includes(`"jobId":"${fixture.job}"`) && alice.includes(`"messageId":"${fixture.sent}"`));
    assert.doesNotMatch(alice, /event: (incoming|deviceStatus|newCall|serverActivity)/);
    assert.ok((seen.get('query-out-jobs') as string).includes(`"jobId":"${fixture.job}"`));
    assert.doesNotMatch(seen.get('query-out-jobs') as string, /event: incoming/);
    assert.match(seen.get('query-config') as string, /event: deviceStatusChange/);
    assert.doesNotMatch(seen.get('query-config') as string, /event: (outgoing|incoming)/);
    assert.match(seen.get('manage-receive-folder') as string, /event: incomingJobAdded/);
    for (const who of ['submit-normal', 'query-config', 'manage-receive-folder']) {
      const events = seen.get(who) as string;
      assert.match(events, /event: queuesStatusChange/);
      for (const secret of secrets) assert.ok(!events.includes(secret), `${who}'s events show ${secret}`);
    }
  });

  it('shows a port busy with alice’s fax without her number, names or document to those who may not see her jobs', async () => {
    keys.set('operator', await faxd.service.users.add('operator', parseAccessRights('query-config,query-out-jobs')));
    const queued = (await admin('/v1/jobs')).body as JsonBody[];
    for (const job of queued) await admin(`/v1/jobs/${job.jobId}/cancel`, { method: 'POST' });
    const pages = 'A page of alice’s fax on the line.\n\f'.repeat(3);
    const body = { to: '5550170', recipientName: 'Alice Peer', documents: [text('alice-on-the-line.txt', pages)] };
    const job = await as('alice', '/v1/jobs', { method: 'POST', body });
    assert.equal(job.status, 201);
    await admin('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: false } });
    const shown = { blank: 0, full: 0 };
    await waitFor(
      'alice’s fax to end',
      async () => {
        const [blind, sighted] = await Promise.all([as('query-config', '/v1/status'), as('operator', '/v1/status')]);
        const text = JSON.stringify(blind.body);
        for (const secret of ['5550170', 'Alice Peer', 'alice-on-the-line', job.body.jobId]) {
          assert.ok(!text.includes(secret), `query-config sees ${secret} in ${text}`);
        }
        const sending = (blind.body as JsonBody[]).find((port) => port.send);
        if (sending) {
          assert.deepEqual([sending.address, sending.documentName, sending.recipientName], ['', '', '']);
          shown.blank++;
        }
        if ((sighted.body as JsonBody[]).some((port) => port.send && port.address === '5550170')) shown.full++;
        const { status } = (await as('alice', `/v1/jobs/${job.body.jobId}`)).body;
        return status === 256 ? true : undefined;
      },
      120_000,
      20,
    );
    assert.ok(shown.blank > 0 && shown.full > 0, `the call was seen on the line: ${JSON.stringify(shown)}`);
  });
});
