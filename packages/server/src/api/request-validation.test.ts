// Strict request schemas (issue 17 item 5): wrong types, impossible dates and unknown fields at every route of the
// OpenAPI document are each answered 400 FAX_ERR_BAD_REQUEST naming the field; nothing is coerced. The table has a row
// set for every documented route, so a route added without rows fails here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { requestJson, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';

interface BadRequest {
  /** What is wrong, for the failure message. */
  readonly what: string;
  readonly path: string;
  readonly method?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** The field the refusal must name: `body/line`, `querystring/mask`, `params/deviceId`, `headers/last-event-id`. */
  readonly field: string;
}

const document = { name: 'note.txt', contentBase64: 'aGVsbG8=' };
const submission = { to: '5550100', documents: [document] };

/** The submission with `change` applied: each row differs from a valid body in the one field it names. */
const submit = (what: string, field: string, change: Record<string, unknown>): BadRequest => ({
  what,
  path: '/v1/jobs',
  method: 'POST',
  body: { ...submission, ...change },
  field: `body/${field}`,
});

/** A broadcast whose `recipients` differ from a valid list in the one field named. */
const broadcast = (what: string, field: string, recipients: unknown): BadRequest => ({
  what,
  path: '/v1/jobs',
  method: 'POST',
  body: { documents: [document], recipients },
  field: `body/recipients${field}`,
});

const patchQueue = (what: string, body: unknown, field: string): BadRequest => ({
  what,
  path: '/v1/queue',
  method: 'PATCH',
  body,
  field,
});

/** A query parameter the route does not take. */
const unknownQuery = (path: string, method = 'GET'): BadRequest => ({
  what: 'an unknown query parameter',
  path: `${path}?colour=blue`,
  method,
  field: 'querystring/colour',
});

const badDeviceIds = (suffix: string): BadRequest[] =>
  ['one', '0', '-1', '1.5', '01', '1e1', '99999999999'].map((deviceId) => ({
    what: `device id "${deviceId}"`,
    path: `/v1/ports/${deviceId}${suffix}`,
    field: 'params/deviceId',
  }));

const badIds = (prefix: string, suffix: string): BadRequest[] =>
  ['a'.repeat(65), 'a%20b', 'a.b', 'a%2Fb'].map((id) => ({
    what: `id "${id}"`,
    path: `${prefix}/${id}${suffix}`,
    field: 'params/id',
  }));

/** A page of an archived fax: a bad id, a page that is not a number from 1, a query. */
const archivePage = (prefix: string): BadRequest[] => [
  ...badIds(prefix, '/pages/1.png'),
  ...['0', '-1', 'x', '01'].map((page) => ({
    what: `page ${page}`,
    path: `${prefix}/0123456789ab/pages/${page}.png`,
    field: 'params/page',
  })),
  unknownQuery(`${prefix}/0123456789ab/pages/1.png`),
];

// The calendar check itself is tested in the contract (calendar-date-time.test.ts); here, that the API applies it.
const IMPOSSIBLE_TIMES = ['2024-02-30T10:00:00Z', '2024-01-01T24:00:00Z', 'tomorrow'];

/** Bad requests by operation, `METHOD /openapi/path`. */
const TABLE: Readonly<Record<string, readonly BadRequest[]>> = {
  'GET /v1/me': [unknownQuery('/v1/me')],
  'GET /metrics': [unknownQuery('/metrics')],
  'POST /v1/session': [
    ...[
      ['a number as the name', { name: 7, password: 'p' }, 'body/name'],
      ['a number as the password', { name: 'alice', password: 1234 }, 'body/password'],
      ['null as the password', { name: 'alice', password: null }, 'body/password'],
      ['an empty name', { name: '', password: 'p' }, 'body/name'],
      ['an unknown field', { name: 'alice', password: 'p', remember: true }, 'body/remember'],
      ['an array as the body', [{ name: 'alice', password: 'p' }], 'body'],
    ].map(([what, body, field]) => ({
      what: what as string,
      path: '/v1/session',
      method: 'POST',
      body,
      field: field as string,
    })),
    { ...unknownQuery('/v1/session', 'POST'), body: { name: 'alice', password: 'p' } },
  ],
  'DELETE /v1/session': [unknownQuery('/v1/session', 'DELETE')],
  'GET /v1/ports': [unknownQuery('/v1/ports')],
  'GET /v1/ports/{deviceId}': badDeviceIds(''),
  'GET /v1/ports/{deviceId}/status': badDeviceIds('/status'),
  'GET /v1/ports/{deviceId}/routing-methods': badDeviceIds('/routing-methods'),
  'GET /v1/status': [unknownQuery('/v1/status')],
  'POST /v1/jobs': [
    submit('a number as the fax number', 'to', { to: 2 }),
    submit('null as the fax number', 'to', { to: null }),
    submit('a string as the documents', 'documents', { documents: 'note.txt' }),
    submit('null as a document', 'documents/0', { documents: [null] }),
    submit('null as a document’s content', 'documents/0/contentBase64', {
      documents: [{ ...document, contentBase64: null }],
    }),
    submit('a number as a document’s name', 'documents/0/name', { documents: [{ ...document, name: 7 }] }),
    submit('an unknown field in a document', 'documents/0/type', { documents: [{ ...document, type: 'text' }] }),
    submit('a string as the line', 'line', { line: '1' }),
    submit('a fraction as the line', 'line', { line: 1.5 }),
    submit('a boolean as the line', 'line', { line: true }),
    submit('a string as the retries', 'retries', { retries: '3' }),
    submit('null as the retry delay', 'retryDelaySeconds', { retryDelaySeconds: null }),
    submit('a number as the priority', 'priority', { priority: 1 }),
    submit('a boolean as the recipient name', 'recipientName', { recipientName: false }),
    submit('an array as the sender name', 'senderName', { senderName: ['me'] }),
    submit('epoch milliseconds as the time', 'scheduledAt', { scheduledAt: 1735689600000 }),
    ...IMPOSSIBLE_TIMES.map((at) => submit(`scheduledAt "${at}"`, 'scheduledAt', { scheduledAt: at })),
    submit('a number as the report address', 'notify', { notify: 5 }),
    submit('a report address without a domain', 'notify', { notify: 'alice' }),
    submit('a report address with a name', 'notify', { notify: 'Alice <alice@example.com>' }),
    submit('an unknown field', 'colour', { colour: 'blue' }),
    broadcast('a string as the recipients', '', '5550100'),
    broadcast('null as a recipient', '/1', [{ number: '5550100' }, null]),
    broadcast('a number as a recipient’s number', '/0/number', [{ number: 5550100 }]),
    broadcast('null as a recipient’s name', '/0/name', [{ number: '5550100', name: null }]),
    broadcast('an unknown field in a recipient', '/0/fax', [{ number: '5550100', fax: '5550100' }]),
    { what: 'an array as the body', path: '/v1/jobs', method: 'POST', body: [submission], field: 'body' },
    { what: 'a string as the body', path: '/v1/jobs', method: 'POST', body: 'fax this', field: 'body' },
    { ...unknownQuery('/v1/jobs', 'POST'), body: submission },
  ],
  'GET /v1/jobs': [
    { what: 'all=1', path: '/v1/jobs?all=1', field: 'querystring/all' },
    { what: 'all=yes', path: '/v1/jobs?all=yes', field: 'querystring/all' },
    { what: 'direction=out', path: '/v1/jobs?direction=out', field: 'querystring/direction' },
    { what: 'broadcast=a.b', path: '/v1/jobs?broadcast=a.b', field: 'querystring/broadcast' },
    unknownQuery('/v1/jobs'),
  ],
  'GET /v1/jobs/{id}': badIds('/v1/jobs', ''),
  'POST /v1/jobs/{jobId}/{operation}': [
    { what: 'an unknown operation', path: '/v1/jobs/0123456789ab/explode', method: 'POST', field: 'params/operation' },
    { what: 'an id with a dot', path: '/v1/jobs/a.b/cancel', method: 'POST', field: 'params/jobId' },
    { what: 'a too long id', path: `/v1/jobs/${'a'.repeat(65)}/cancel`, method: 'POST', field: 'params/jobId' },
    unknownQuery('/v1/jobs/0123456789ab/cancel', 'POST'),
  ],
  'GET /v1/jobs/{id}/document.tif': badIds('/v1/jobs', '/document.tif'),
  'GET /v1/jobs/{id}/pages/{page}.png': [
    ...badIds('/v1/jobs', '/pages/1.png'),
    ...['0', '-1', '1.5', 'x', '01'].map((page) => ({
      what: `page ${page}`,
      path: `/v1/jobs/0123456789ab/pages/${page}.png`,
      field: 'params/page',
    })),
  ],
  'GET /v1/broadcasts/{id}': [...badIds('/v1/broadcasts', ''), unknownQuery('/v1/broadcasts/0123456789ab')],
  'POST /v1/broadcasts/{id}/cancel': [
    ...badIds('/v1/broadcasts', '/cancel').map((row) => ({ ...row, method: 'POST' })),
    unknownQuery('/v1/broadcasts/0123456789ab/cancel', 'POST'),
  ],
  'POST /v1/previews': [
    ...[
      ['a string as the documents', { documents: 'note.txt' }, 'body/documents'],
      ['null as a document', { documents: [null] }, 'body/documents/0'],
      ['a number as a document’s name', { documents: [{ ...document, name: 7 }] }, 'body/documents/0/name'],
      ['an unknown field in a document', { documents: [{ ...document, type: 'text' }] }, 'body/documents/0/type'],
      ['a number as the fax number', { documents: [document], to: 5550100 }, 'body/to'],
      ['a string as the line', { documents: [document], line: '1' }, 'body/line'],
      ['a boolean as the sender name', { documents: [document], senderName: true }, 'body/senderName'],
      ['a schedule (a preview sends nothing)', { documents: [document], scheduledAt: 'discount' }, 'body/scheduledAt'],
      ['an array as the body', [{ documents: [document] }], 'body'],
    ].map(([what, body, field]) => ({
      what: what as string,
      path: '/v1/previews',
      method: 'POST',
      body,
      field: field as string,
    })),
    { ...unknownQuery('/v1/previews', 'POST'), body: { documents: [document] } },
  ],
  'GET /v1/queue': [unknownQuery('/v1/queue')],
  'PATCH /v1/queue': [
    patchQueue('a string as a flag', { outgoingQueuePaused: 'true' }, 'body/outgoingQueuePaused'),
    patchQueue('a number as a flag', { outgoingQueueBlocked: 1 }, 'body/outgoingQueueBlocked'),
    patchQueue('null as a flag', { incomingQueueBlocked: null }, 'body/incomingQueueBlocked'),
    patchQueue('an unknown flag', { outgoingQueueStopped: true }, 'body/outgoingQueueStopped'),
    patchQueue('an array as the body', [{ outgoingQueuePaused: true }], 'body'),
  ],
  'GET /v1/inbox': [unknownQuery('/v1/inbox')],
  'GET /v1/inbox/{id}': badIds('/v1/inbox', ''),
  'GET /v1/inbox/{id}/document.tif': badIds('/v1/inbox', '/document.tif'),
  'GET /v1/inbox/{id}/document.pdf': badIds('/v1/inbox', '/document.pdf'),
  'GET /v1/inbox/{id}/pages/{page}.png': archivePage('/v1/inbox'),
  'GET /v1/outbox': [unknownQuery('/v1/outbox')],
  'GET /v1/outbox/{id}/pages/{page}.png': archivePage('/v1/outbox'),
  'GET /v1/outbox/{id}': badIds('/v1/outbox', ''),
  'GET /v1/outbox/{id}/document.tif': badIds('/v1/outbox', '/document.tif'),
  'GET /v1/outbox/{id}/document.pdf': badIds('/v1/outbox', '/document.pdf'),
  'GET /v1/mail-deliveries': [
    { what: 'sourceId=a.b', path: '/v1/mail-deliveries?sourceId=a.b', field: 'querystring/sourceId' },
    unknownQuery('/v1/mail-deliveries'),
  ],
  'GET /v1/mail-deliveries/{id}': [
    ...badIds('/v1/mail-deliveries', ''),
    unknownQuery('/v1/mail-deliveries/0123456789ab'),
  ],
  'DELETE /v1/inbox/{id}': [
    ...badIds('/v1/inbox', '').map((row) => ({ ...row, method: 'DELETE' })),
    unknownQuery('/v1/inbox/0123456789ab', 'DELETE'),
  ],
  'DELETE /v1/outbox/{id}': [
    ...badIds('/v1/outbox', '').map((row) => ({ ...row, method: 'DELETE' })),
    unknownQuery('/v1/outbox/0123456789ab', 'DELETE'),
  ],
  'GET /v1/audit': [
    ...['2024-02-30T10:00:00Z', 'yesterday', '1700000000'].map((since) => ({
      what: `since=${since}`,
      path: `/v1/audit?since=${since}`,
      field: 'querystring/since',
    })),
    ...['0', '1001', '-1', '1e2', 'ten'].map((limit) => ({
      what: `limit=${limit}`,
      path: `/v1/audit?limit=${limit}`,
      field: 'querystring/limit',
    })),
    { what: 'an unknown action', path: '/v1/audit?action=looked', field: 'querystring/action' },
    { what: 'a user name with a slash', path: '/v1/audit?user=a%2Fb', field: 'querystring/user' },
    unknownQuery('/v1/audit'),
  ],
  'GET /v1/events': [
    ...['abc', '-1', '1.5', '1024', '0x10', '1e2', ''].map((mask) => ({
      what: `mask=${mask}`,
      path: `/v1/events?mask=${mask}`,
      field: 'querystring/mask',
    })),
    ...['abc', '-1', '1e3', '0x10', '+5'].map((id) => ({
      what: `Last-Event-ID "${id}"`,
      path: '/v1/events',
      headers: { 'last-event-id': id },
      field: 'headers/last-event-id',
    })),
    unknownQuery('/v1/events'),
  ],
};

describe('strict request schemas at every route', () => {
  let faxd: TestFaxd;
  before(async () => {
    faxd = await startTestFaxd();
  });
  after(() => faxd.dispose());

  it('has bad requests for every operation of the OpenAPI document, and only for those', async () => {
    const { body } = await requestJson(faxd.url, '/openapi.json');
    const operations = Object.entries(body.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    assert.deepEqual([...operations].sort(), Object.keys(TABLE).sort());
    for (const [operation, rows] of Object.entries(TABLE)) assert.ok(rows.length > 0, `${operation} has rows`);
  });

  for (const [operation, rows] of Object.entries(TABLE)) {
    it(`refuses wrong types and unknown fields at ${operation}`, async () => {
      for (const row of rows) {
        const { status, body } = await requestJson(faxd.url, row.path, row);
        assert.equal(status, 400, `${operation} with ${row.what}: HTTP status`);
        assert.equal(body?.error?.code, 'FAX_ERR_BAD_REQUEST', `${operation} with ${row.what}: code`);
        assert.equal(body.error.details?.field, row.field, `${operation} with ${row.what}: field`);
        assert.ok(body.error.message.includes(row.field), `${operation} with ${row.what}: ${body.error.message}`);
      }
      // Nothing refused was acted on: no job was queued and the queue's flags are as they were.
      assert.deepEqual((await requestJson(faxd.url, '/v1/jobs?all=true')).body, []);
      assert.deepEqual((await requestJson(faxd.url, '/v1/queue')).body, {
        outgoingQueueBlocked: false,
        outgoingQueuePaused: false,
        incomingQueueBlocked: false,
      });
    });
  }

  it('takes a valid submission, so the rows above differ from it in their one field only', async () => {
    await requestJson(faxd.url, '/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    const leapDay = await requestJson(faxd.url, '/v1/jobs', {
      method: 'POST',
      body: { ...submission, scheduledAt: '2096-02-29T10:00:00Z', line: 1, retries: 0, priority: 'high' },
    });
    assert.equal(leapDay.status, 201);
    assert.equal(leapDay.body.scheduledTime, '2096-02-29T10:00:00.000Z');
    assert.equal((await requestJson(faxd.url, '/v1/jobs?all=false&direction=outgoing')).body.length, 1);
  });
});
