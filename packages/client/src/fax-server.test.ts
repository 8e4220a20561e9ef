// FaxServer's transport against a scripted HTTP server: error mapping, the bearer token, and the event stream's
// subscription, reconnection with Last-Event-ID and shutdown. The end-to-end tests against faxd are in packages/cli.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { FAX_SERVER_EVENTS_TYPE_ENUM, FaxApiError, type FaxServerEvent } from '@faxd/contract';
import { FaxServer } from './fax-server.js';
import { FaxConnectionError } from './http-client.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const servers: Server[] = [];

/** A server on a free loopback port answering with `handler`; GET /v1/queue answers as faxd would. */
async function scriptedServer(handler: Handler): Promise<string> {
  const server = createServer((request, response) => {
    if (request.url === '/v1/queue') {
      response.setHeader('content-type', 'application/json');
      response.end('{"outgoingQueueBlocked":false,"outgoingQueuePaused":false,"incomingQueueBlocked":false}');
      return;
    }
    handler(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function sseMessage(id: number, event: FaxServerEvent): string {
  return `id: ${id}\nevent: ${event.event}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Resolves once `predicate` holds for the items pushed so far. */
function collector<T>() {
  const items: T[] = [];
  let waiting: { predicate: (items: T[]) => boolean; resolve: () => void } | undefined;
  return {
    items,
    push(item: T) {
      items.push(item);
      if (waiting?.predicate(items)) waiting.resolve();
    },
    until(predicate: (items: T[]) => boolean): Promise<void> {
      if (predicate(items)) return Promise.resolve();
      return new Promise((resolve) => {
        waiting = { predicate, resolve };
      });
    },
  };
}

describe('FaxServer transport', () => {
  it('reports a server that is not listening as FaxConnectionError naming the URL', async () => {
    const url = await scriptedServer(() => undefined);
    const closed = servers.pop() as Server;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(FaxServer.connect(url), (error: unknown) => {
      assert.ok(error instanceof FaxConnectionError);
      assert.equal(error.url, url);
      assert.equal(error.message, `cannot reach the fax server at ${url}: connection refused`);
      return true;
    });
  });

  it('throws the FaxApiError of a faxd error body, and FAX_ERR_BAD_RESPONSE for anything else', async () => {
    const url = await scriptedServer((request, response) => {
      if (request.url === '/v1/jobs/x') {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end('{"error":{"code":"FAX_ERR_JOB_NOT_FOUND","message":"No job with id x"}}');
      } else if (request.url === '/v1/outbox') {
        response.end('hello');
      } else {
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end('<html>proxy error</html>');
      }
    });
    const server = await FaxServer.connect(url);
    await assert.rejects(server.getJob('x'), { name: 'FaxApiError', code: 'FAX_ERR_JOB_NOT_FOUND', status: 404 });
    await assert.rejects(server.getPorts(), (error: unknown) => {
      assert.ok(error instanceof FaxApiError);
      assert.equal(error.code, 'FAX_ERR_BAD_RESPONSE');
      assert.deepEqual(error.details, { status: 502, body: '<html>proxy error</html>' });
      return true;
    });
    await assert.rejects(server.getOutbox(), {
      code: 'FAX_ERR_BAD_RESPONSE',
      message: 'The server answered 200 with a body that is not JSON',
    });
  });

  it('sends the token as a bearer credential and escapes ids in paths', async () => {
    const seen: { url?: string; authorization?: string }[] = [];
    const url = await scriptedServer((request, response) => {
      seen.push({ url: request.url, authorization: request.headers.authorization });
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":{"code":"FAX_ERR_MESSAGE_NOT_FOUND","message":"No fax with id a/b in the archive"}}');
    });
    const server = await FaxServer.connect(url, { token: 's3cret' });
    await assert.rejects(server.getInboxMessage('a/b'), { code: 'FAX_ERR_MESSAGE_NOT_FOUND' });
    assert.deepEqual(seen, [{ url: '/v1/inbox/a%2Fb', authorization: 'Bearer s3cret' }]);
  });

  it('asks for a preview with the documents base64-encoded and answers its pages as the server sent them', async () => {
    const requests: { method?: string; url?: string; body: string }[] = [];
    const page = { width: 1728, height: 2, xResolution: 204, yResolution: 98, pngBase64: 'iVBORw0K' };
    const url = await scriptedServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        requests.push({ method: request.method, url: request.url, body });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ pages: [page] }));
      });
    });
    const server = await FaxServer.connect(url);
    const preview = await server.preview([{ name: 'note.txt', content: new TextEncoder().encode('hello') }]);
    assert.deepEqual(preview, { pages: [page] });
    assert.deepEqual(requests, [
      {
        method: 'POST',
        url: '/v1/previews',
        body: JSON.stringify({ documents: [{ name: 'note.txt', contentBase64: 'aGVsbG8=' }] }),
      },
    ]);
  });

  it('submits recipients as a broadcast and answers its jobs in recipient order', async () => {
    const requests: { method?: string; url?: string; body: string }[] = [];
    const job = (jobId: string, recipientNumber: string) => ({ jobId, recipientNumber, broadcastId: 'b1' });
    const url = await scriptedServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => {
        requests.push({ method: request.method, url: request.url, body });
        response.setHeader('content-type', 'application/json');
        if (request.method === 'POST') response.statusCode = 201;
        // The listing's order is the server's own, not the recipients'; job j3 is left out of the second listing.
        const listed = requests.length === 2 ? [job('j2', '200'), job('j1', '100')] : [job('j1', '100')];
        response.end(JSON.stringify(request.method === 'POST' ? { broadcastId: 'b1', jobIds: ['j1', 'j2'] } : listed));
      });
    });
    const server = await FaxServer.connect(url);
    const documents = [{ name: 'a.txt', content: new TextEncoder().encode('hi') }];
    const recipients = [{ number: '100', name: 'Ann', line: 2 }, { number: '200' }];
    const { broadcastId, jobs } = await server.submit({ recipients, documents, priority: 'high' });
    assert.equal(broadcastId, 'b1');
    assert.deepEqual(
      jobs.map((j) => [j.jobId, j.recipientNumber, j.broadcastId]),
      [
        ['j1', '100', 'b1'],
        ['j2', '200', 'b1'],
      ],
    );
    assert.deepEqual(JSON.parse(requests[0].body), {
      recipients: [{ number: '100', name: 'Ann' }, { number: '200' }],
      documents: [{ name: 'a.txt', contentBase64: 'aGk=' }],
      priority: 'high',
    });
    assert.deepEqual(
      requests.map((r) => `${r.method} ${r.url}`),
      ['POST /v1/jobs', 'GET /v1/jobs?all=true&broadcast=b1'],
    );
    // A job the server accepted but does not list is a bad answer, not a shorter list.
    await assert.rejects(server.submit({ recipients, documents }), {
      name: 'FaxApiError',
      code: 'FAX_ERR_BAD_RESPONSE',
      message: 'The server did not list job j2 of broadcast b1 it had just accepted',
    });
  });

  it('subscribes with the mask, reconnects after a drop with Last-Event-ID, and delivers each event once', async () => {
    const requests: { url?: string; lastEventId?: string | string[] }[] = [];
    const url = await scriptedServer((request, response) => {
      requests.push({ url: request.url, lastEventId: request.headers['last-event-id'] });
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (requests.length === 1) {
        response.write(': faxd events\n\n');
        response.write(sseMessage(1, { event: 'outgoingJobAdded', jobId: 'a' }));
        // Once the second event is out, the connection breaks.
        response.write(sseMessage(2, { event: 'outgoingJobRemoved', jobId: 'a' }), () => response.destroy());
      } else {
        response.write(': keepalive\n\n');
        response.write('event: someFutureEvent\ndata: {"event":"someFutureEvent"}\n\n');
        response.write(sseMessage(3, { event: 'outgoingMessageAdded', messageId: 'a' }));
      }
    });
    const server = await FaxServer.connect(url);
    const received = collector<string>();
    server.on('outgoingJobAdded', (jobId) => received.push(`added ${jobId}`));
    server.on('outgoingJobRemoved', (jobId) => received.push(`removed ${jobId}`));
    server.on('outgoingMessageAdded', (messageId) => received.push(`archived ${messageId}`));
    const mask = FAX_SERVER_EVENTS_TYPE_ENUM.fsetOUT_QUEUE | FAX_SERVER_EVENTS_TYPE_ENUM.fsetOUT_ARCHIVE;
    await server.listenToServerEvents(mask);
    await received.until((items) => items.length === 3);
    server.disconnect();
    assert.deepEqual(received.items, ['added a', 'removed a', 'archived a']);
    assert.deepEqual(requests, [
      { url: '/v1/events?mask=66', lastEventId: undefined },
      { url: '/v1/events?mask=66', lastEventId: '2' },
    ]);
  });

  it('hands job-changed listeners a FaxJobStatus, and observers the wire object', async () => {
    const status = {
      jobId: 'j',
      status: 256,
      pages: 1,
      size: 100,
      currentPage: 1,
      deviceId: 1,
      csid: 'c',
      tsid: 't',
      extendedStatusCode: 18,
      extendedStatus: '',
      availableOperations: 97,
      retries: 0,
      jobType: 0,
      scheduledTime: '2025-01-01T00:00:00.000Z',
      transmissionStart: '2025-01-01T00:00:01.000Z',
      transmissionEnd: '2025-01-01T00:00:09.000Z',
      callerId: '',
      routingInformation: '',
    } as const;
    const event: FaxServerEvent = { event: 'outgoingJobChanged', jobId: 'j', status };
    const url = await scriptedServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(sseMessage(1, event));
    });
    const server = await FaxServer.connect(url);
    const observed = collector<FaxServerEvent>();
    server.observe((e) => observed.push(e));
    const changed: [string, number, Date | null, object][] = [];
    server.on('outgoingJobChanged', (jobId, jobStatus) => {
      changed.push([jobId, jobStatus.status, jobStatus.transmissionEnd, jobStatus.toJSON()]);
    });
    await server.listenToServerEvents(FAX_SERVER_EVENTS_TYPE_ENUM.fsetOUT_QUEUE);
    await observed.until((items) => items.length === 1);
    server.disconnect();
    assert.deepEqual(observed.items, [event]);
    assert.deepEqual(changed, [['j', 256, new Date('2025-01-01T00:00:09.000Z'), status]]);
  });

  it('closes the stream on fsetNONE and refuses a mask with unknown bits', async () => {
    const closed = collector<string>();
    const url = await scriptedServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(': faxd events\n\n');
      request.on('close', () => closed.push(request.url ?? ''));
    });
    const server = await FaxServer.connect(url);
    await server.listenToServerEvents(FAX_SERVER_EVENTS_TYPE_ENUM.fsetDEVICE_STATUS);
    await server.listenToServerEvents(FAX_SERVER_EVENTS_TYPE_ENUM.fsetNONE);
    await closed.until((items) => items.length === 1);
    assert.deepEqual(closed.items, ['/v1/events?mask=256']);
    await assert.rejects(server.listenToServerEvents(0x400), RangeError);
  });

  it('rejects listenToServerEvents with the FaxApiError of a refused subscription', async () => {
    const url = await scriptedServer((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end('{"error":{"code":"FAX_ERR_UNAUTHORIZED","message":"Authentication required: bad token"}}');
    });
    const server = await FaxServer.connect(url);
    await assert.rejects(server.listenToServerEvents(FAX_SERVER_EVENTS_TYPE_ENUM.fsetOUT_QUEUE), {
      code: 'FAX_ERR_UNAUTHORIZED',
      message: 'Authentication required: bad token',
    });
  });
});
